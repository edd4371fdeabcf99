package io.ory4j.identity.store.memory;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.Identity;
import io.ory4j.identity.spi.IdentityStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** A thread-safe in-memory {@link IdentityStore}; identifiers are unique per credential type. */
public final class InMemoryIdentityStore implements IdentityStore {

  private final TreeMap<String, Identity> byId = new TreeMap<>();
  private final Map<String, UUID> identifiers = new HashMap<>();

  private static String key(String type, String identifier) {
    return type + "\u0000" + identifier;
  }

  private static List<String> keys(Identity i) {
    List<String> out = new ArrayList<>();
    IdentityStore.identifiersOf(i).forEach(p -> out.add(key(p[0], p[1])));
    return out;
  }

  @Override
  public synchronized void create(Identity identity) {
    if (byId.containsKey(identity.id().toString())) {
      throw new DuplicateException("An identity with this id exists already.");
    }
    claim(identity);
    byId.put(identity.id().toString(), identity);
  }

  private void claim(Identity identity) {
    for (String k : keys(identity)) {
      UUID owner = identifiers.get(k);
      if (owner != null && !owner.equals(identity.id())) {
        throw new DuplicateException("An account with the same identifier (email, phone, username, ...) exists "
            + "already.");
      }
    }
    identifiers.values().removeIf(identity.id()::equals);
    keys(identity).forEach(k -> identifiers.put(k, identity.id()));
  }

  @Override
  public synchronized boolean update(Identity identity) {
    if (!byId.containsKey(identity.id().toString())) {
      return false;
    }
    claim(identity);
    byId.put(identity.id().toString(), identity);
    return true;
  }

  @Override
  public synchronized Optional<Identity> find(UUID id) {
    return Optional.ofNullable(byId.get(id.toString()));
  }

  @Override
  public synchronized Optional<Identity> findByIdentifier(String type, String identifier) {
    UUID id = identifiers.get(key(type, identifier));
    return id == null ? Optional.empty() : find(id);
  }

  @Override
  public synchronized Page<Identity> list(PageRequest page, String credentialsIdentifier) {
    if (credentialsIdentifier != null) {
      List<Identity> hits = new ArrayList<>();
      identifiers.forEach((k, v) -> {
        if (k.endsWith("\u0000" + credentialsIdentifier) && !IdentityStore.isAddressType(k)) {
          hits.add(byId.get(v.toString()));
        }
      });
      return new Page<>(hits.stream().distinct().toList(), null);
    }
    String after = page.pageToken() == null ? null : PageToken.decode(page.pageToken());
    List<Identity> out = new ArrayList<>();
    for (Identity i : (after == null ? byId : byId.tailMap(after, false)).values()) {
      out.add(i);
      if (out.size() > page.pageSize()) {
        break;
      }
    }
    return Page.fromOverfetch(out, page.pageSize(), i -> i.id().toString());
  }

  @Override
  public synchronized boolean delete(UUID id) {
    identifiers.values().removeIf(id::equals);
    return byId.remove(id.toString()) != null;
  }
}
