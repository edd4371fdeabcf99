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
 * {@link io.ory4j.core.storage.DuplicateException}, and nothing is written. Thread-safe.
 */
public interface IdentityStore {

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
