package io.ory4j.identity.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Session;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Keeps sessions, found by the SHA-256 of their token (the token itself is never stored). Thread-safe. */
public interface SessionStore {

  /** Stores a session under its token's hash. */
  void create(Session session, String tokenHash);

  Optional<Session> findByTokenHash(String tokenHash);

  Optional<Session> find(UUID id);

  /** Sessions of one identity (newest first), or all sessions when {@code identityId} is null. */
  Page<Session> list(@Nullable UUID identityId, @Nullable Boolean active, PageRequest page);

  /**
   * Replaces a stored session (its assurance level, authentication methods, expiry, active flag), keeping its token
   * hash; false when unknown.
   */
  boolean update(Session session);

  /** Marks a session inactive; false when unknown. */
  boolean revoke(UUID id);

  /** Marks every session of an identity inactive except {@code keep}; returns how many. */
  int revokeAll(UUID identityId, @Nullable UUID keep);

  /** Deletes every session of an identity. */
  int deleteAll(UUID identityId);
}
