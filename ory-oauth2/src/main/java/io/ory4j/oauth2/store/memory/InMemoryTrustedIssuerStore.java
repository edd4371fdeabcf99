package io.ory4j.oauth2.store.memory;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/** A {@link TrustedIssuerStore} in memory (one process), ordered by id. Thread-safe. */
public final class InMemoryTrustedIssuerStore implements TrustedIssuerStore {

  private final ConcurrentSkipListMap<String, TrustedJwtGrantIssuer> byId = new ConcurrentSkipListMap<>();

  @Override
  public synchronized void create(TrustedJwtGrantIssuer trust) {
    Objects.requireNonNull(trust, "trust");
    for (TrustedJwtGrantIssuer t : byId.values()) {
      if (t.issuer().equals(trust.issuer()) && t.subject().equals(trust.subject())
          && t.keyId().equals(trust.keyId())) {
        throw new DuplicateException("a trust relationship for this issuer, subject and key id exists already");
      }
    }
    if (byId.putIfAbsent(trust.id(), trust) != null) {
      throw new DuplicateException("a trust relationship with this id exists already");
    }
  }

  @Override
  public Optional<TrustedJwtGrantIssuer> find(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public Page<TrustedJwtGrantIssuer> list(PageRequest page, @Nullable String issuer) {
    var from = page.pageToken() == null ? byId : byId.tailMap(PageToken.decode(page.pageToken()), false);
    List<TrustedJwtGrantIssuer> rows = from.values().stream()
        .filter(t -> issuer == null || t.issuer().equals(issuer)).limit(page.pageSize() + 1L).toList();
    return Page.fromOverfetch(rows, page.pageSize(), TrustedJwtGrantIssuer::id);
  }

  @Override
  public synchronized boolean delete(String id) {
    return byId.remove(id) != null;
  }

  @Override
  public List<TrustedJwtGrantIssuer> findActive(String issuer, String subject, Instant now) {
    return byId.values().stream().filter(t -> t.issuer().equals(issuer) && t.coversSubject(subject)
        && t.expiresAt().isAfter(now)).toList();
  }

  @Override
  public synchronized int deleteExpired(Instant before) {
    List<String> expired = byId.values().stream().filter(t -> t.expiresAt().isBefore(before))
        .map(TrustedJwtGrantIssuer::id).toList();
    expired.forEach(byId::remove);
    return expired.size();
  }
}
