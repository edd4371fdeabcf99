package io.ory4j.oauth2.store.memory;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.spi.TokenStore;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} in memory: a hash map per kind keyed by signature, and an index by request id, so a lookup
 * costs the same with a thousand or a million tokens stored. Thread-safe.
 */
public final class InMemoryTokenStore implements TokenStore {

  private final Map<TokenKind, ConcurrentHashMap<String, TokenSession>> byKind = new EnumMap<>(TokenKind.class);
  private final ConcurrentHashMap<String, Set<Key>> byRequest = new ConcurrentHashMap<>();

  private record Key(TokenKind kind, String signature) {}

  public InMemoryTokenStore() {
    for (TokenKind k : TokenKind.values()) {
      byKind.put(k, new ConcurrentHashMap<>());
    }
  }

  @Override
  public void create(TokenSession s) {
    if (byKind.get(s.kind()).putIfAbsent(s.signature(), s) != null) {
      throw new DuplicateException("a token with this signature exists already");
    }
    byRequest.computeIfAbsent(s.requestId(), r -> ConcurrentHashMap.newKeySet()).add(new Key(s.kind(),
        s.signature()));
  }

  @Override
  public Optional<TokenSession> find(TokenKind kind, String signature) {
    return Optional.ofNullable(byKind.get(kind).get(signature));
  }

  @Override
  public boolean deactivate(TokenKind kind, String signature) {
    boolean[] won = {false};
    byKind.get(kind).computeIfPresent(signature, (k, s) -> {
      if (s.active()) {
        won[0] = true;
        return s.withActive(false);
      }
      return s;
    });
    return won[0];
  }

  @Override
  public int revokeRequest(String requestId) {
    Set<Key> keys = byRequest.get(requestId);
    if (keys == null) {
      return 0;
    }
    int n = 0;
    for (Key k : keys) {
      if (deactivate(k.kind(), k.signature())) {
        n++;
      }
    }
    return n;
  }

  @Override
  public int deleteByClient(ClientId clientId) {
    int n = 0;
    for (var m : byKind.values()) {
      for (var it = m.values().iterator(); it.hasNext(); ) {
        TokenSession s = it.next();
        if (s.clientId().equals(clientId)) {
          it.remove();
          unindex(s);
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public int revokeSubject(String subject, @Nullable ClientId clientId) {
    int n = 0;
    for (var m : byKind.values()) {
      for (TokenSession s : m.values()) {
        if (subject.equals(s.subject()) && (clientId == null || clientId.equals(s.clientId()))
            && deactivate(s.kind(), s.signature())) {
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public int deleteExpired(Instant before) {
    int n = 0;
    for (var m : byKind.values()) {
      for (var it = m.values().iterator(); it.hasNext(); ) {
        TokenSession s = it.next();
        if (s.expiresAt().isBefore(before)) {
          it.remove();
          unindex(s);
          n++;
        }
      }
    }
    return n;
  }

  private void unindex(TokenSession s) {
    byRequest.computeIfPresent(s.requestId(), (r, keys) -> {
      keys.remove(new Key(s.kind(), s.signature()));
      return keys.isEmpty() ? null : keys;
    });
  }

  /** How many sessions are stored (for tests and benchmarks). */
  public int size() {
    return byKind.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore[" + Objects.toString(size()) + " sessions]";
  }
}
