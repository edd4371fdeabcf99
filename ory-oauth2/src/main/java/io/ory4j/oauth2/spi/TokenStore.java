package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Stores token sessions by the signature of their token. */
public interface TokenStore {

  /** Adds a session; a {@link io.ory4j.core.storage.DuplicateException} when the signature exists. */
  void create(TokenSession session);

  /** The session of this kind with this signature, active or not. */
  Optional<TokenSession> find(TokenKind kind, String signature);

  /**
   * Marks an active session inactive. Atomic: of two concurrent calls for one session exactly one returns true, which
   * is how a code or a refresh token is used once.
   */
  boolean deactivate(TokenKind kind, String signature);

  /** Marks every session of a grant inactive (codes, access and refresh tokens); returns how many changed. */
  int revokeRequest(String requestId);

  /** Deletes every session issued to a client; returns how many. */
  int deleteByClient(ClientId clientId);

  /** Marks every session of a subject inactive, only those of {@code clientId} when it is set. */
  int revokeSubject(String subject, @Nullable ClientId clientId);

  /** Deletes sessions that expired before {@code before} (the janitor); returns how many. */
  int deleteExpired(Instant before);
}
