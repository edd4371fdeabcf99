package io.ory4j.identity.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Keeps self-service flows (registration, login, ...) between the request that starts them and the one that
 * submits them, so a flow started on one process can finish on another. Thread-safe.
 */
public interface FlowStore {

  /** A stored flow: its kind, flavor, Kratos flow JSON, expiry, CSRF token (browser flows) and return URL. */
  record StoredFlow(UUID id, String kind, String flavor, String json, Instant expiresAt, String csrfToken,
      @Nullable String returnTo) {
    public StoredFlow {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(flavor, "flavor");
      Objects.requireNonNull(json, "json");
      Objects.requireNonNull(expiresAt, "expiresAt");
      Objects.requireNonNull(csrfToken, "csrfToken");
    }
  }

  /** Inserts or replaces a flow. */
  void save(StoredFlow flow);

  Optional<StoredFlow> find(UUID id);

  /** Deletes a flow (after it succeeded). */
  void delete(UUID id);

  /** Deletes flows that expired before {@code before}; returns how many (the janitor). */
  int deleteExpired(Instant before);
}
