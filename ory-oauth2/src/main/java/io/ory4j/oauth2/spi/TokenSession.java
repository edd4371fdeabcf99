package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token session, stored under the HMAC signature of its token (never the token itself). Every session issued for one
 * grant shares its {@code requestId}, so revoking the grant revokes all it issued.
 *
 * @param signature the token's signature (the part after the dot)
 * @param kind the kind of token
 * @param requestId the grant this token belongs to
 * @param clientId the client it was issued to
 * @param subject the resource owner, or null for client_credentials
 * @param scopes the granted scopes
 * @param audience the granted audience
 * @param requestedAt when the grant was made
 * @param expiresAt when the token expires
 * @param active false once used (codes, rotated refresh tokens) or revoked
 * @param data JSON-compatible extras: session claims, PKCE challenge, nonce, redirect URI, auth time, flow id
 */
public record TokenSession(String signature, TokenKind kind, String requestId, ClientId clientId,
    @Nullable String subject, List<String> scopes, List<String> audience, Instant requestedAt, Instant expiresAt,
    boolean active, Map<String, Object> data) {

  public TokenSession {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(clientId, "clientId");
    scopes = List.copyOf(scopes);
    audience = List.copyOf(audience);
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    data = Map.copyOf(data);
  }

  public TokenSession withActive(boolean v) {
    return new TokenSession(signature, kind, requestId, clientId, subject, scopes, audience, requestedAt, expiresAt, v,
        data);
  }
}
