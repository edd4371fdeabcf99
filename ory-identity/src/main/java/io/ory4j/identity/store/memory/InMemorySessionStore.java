package io.ory4j.identity.store.memory;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.Session;
import io.ory4j.identity.spi.SessionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A thread-safe in-memory {@link SessionStore}. */
public final class InMemorySessionStore implements SessionStore {

  private final Map<UUID, Session> byId = new HashMap<>();
  private final Map<String, UUID> byToken = new HashMap<>();

  @Override
  public synchronized void create(Session session, String tokenHash) {
    byId.put(session.id(), session.withIdentity(null));
    byToken.put(tokenHash, session.id());
  }

  @Override
  public synchronized Optional<Session> findByTokenHash(String tokenHash) {
    UUID id = byToken.get(tokenHash);
    return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized Optional<Session> find(UUID id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized Page<Session> list(UUID identityId, Boolean active, PageRequest page) {
    List<Session> all = new ArrayList<>();
    for (Session s : byId.values()) {
      if ((identityId == null || s.identityId().equals(identityId)) && (active == null || s.active() == active)) {
        all.add(s);
      }
    }
    all.sort(Comparator.comparing(Session::issuedAt).reversed().thenComparing(s -> s.id().toString()));
    String after = page.pageToken() == null ? null : PageToken.decode(page.pageToken());
    int start = 0;
    if (after != null) {
      for (int i = 0; i < all.size(); i++) {
        if (all.get(i).id().toString().equals(after)) {
          start = i + 1;
        }
      }
    }
    List<Session> out = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + page.pageSize() + 1));
    return Page.fromOverfetch(new ArrayList<>(out), page.pageSize(), s -> s.id().toString());
  }

  @Override
  public synchronized boolean update(Session session) {
    if (!byId.containsKey(session.id())) {
      return false;
    }
    byId.put(session.id(), session.withIdentity(null));
    return true;
  }

  @Override
  public synchronized boolean revoke(UUID id) {
    Session s = byId.get(id);
    if (s == null) {
      return false;
    }
    byId.put(id, s.revoked());
    return true;
  }

  @Override
  public synchronized int revokeAll(UUID identityId, UUID keep) {
    int n = 0;
    for (Session s : List.copyOf(byId.values())) {
      if (s.identityId().equals(identityId) && s.active() && !s.id().equals(keep)) {
        byId.put(s.id(), s.revoked());
        n++;
      }
    }
    return n;
  }

  @Override
  public synchronized int deleteAll(UUID identityId) {
    List<UUID> ids = byId.values().stream().filter(s -> s.identityId().equals(identityId)).map(Session::id).toList();
    ids.forEach(byId::remove);
    byToken.values().removeIf(ids::contains);
    return ids.size();
  }
}
