package io.ory4j.identity.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Identity;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Keeps identities with their credentials. Credential identifiers are unique per credential type across all
 * identities: a create or update that would share one is refused with a
 * {@link io.ory4j.core.storage.DuplicateException}, and nothing is written. Verifiable addresses are indexed the same
 * way, under the type {@link #addressType(String) address:<via>} and recovery addresses under
 * {@link #recoveryType(String) recovery:<via>} (unique per via, as Kratos' addresses), so
 * {@code findByIdentifier(addressType("email"), "ada@example.com")} finds the identity an address belongs to.
 * Thread-safe.
 */
public interface IdentityStore {

  /** The identifier type under which verifiable addresses of {@code via} ({@code email}) are indexed. */
  static String addressType(String via) {
    return "address:" + via;
  }

  /** The identifier type under which recovery addresses of {@code via} are indexed. */
  static String recoveryType(String via) {
    return "recovery:" + via;
  }

  /** True for the identifier types of addresses, which are not credentials identifiers. */
  static boolean isAddressType(String type) {
    return type.startsWith("address:") || type.startsWith("recovery:");
  }

  /**
   * The identifiers an identity claims, as (type, identifier) pairs: its credentials' identifiers and its verifiable
   * addresses.
   */
  static java.util.List<String[]> identifiersOf(Identity i) {
    // distinct pairs: one identity may list the same address twice (two traits with one value)
    java.util.Map<String, String[]> out = new java.util.LinkedHashMap<>();
    java.util.function.BiConsumer<String, String> add = (type, id) -> out.putIfAbsent(type + "\u0000" + id,
        new String[] {type, id});
    if (i.credentials() != null) {
      i.credentials().values().forEach(c -> c.identifiers().forEach(id -> add.accept(c.type(), id)));
    }
    i.verifiableAddresses().forEach(a -> add.accept(addressType(a.via()), a.value()));
    i.recoveryAddresses().forEach(a -> add.accept(recoveryType(a.via()), a.value()));
    return java.util.List.copyOf(out.values());
  }

  /** Stores a new identity (with its credentials). */
  void create(Identity identity);

  /** Replaces an identity (with its credentials); false when it does not exist. */
  boolean update(Identity identity);

  /** An identity with its credentials. */
  Optional<Identity> find(UUID id);

  /** The identity that holds credential {@code identifier} of {@code type}. */
  Optional<Identity> findByIdentifier(String type, String identifier);

  /** Identities ordered by id, one page; with {@code credentialsIdentifier}, only the one holding it. */
  Page<Identity> list(PageRequest page, @Nullable String credentialsIdentifier);

  /** Deletes an identity and its credentials; false when it does not exist. */
  boolean delete(UUID id);
}
