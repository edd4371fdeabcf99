package io.ory4j.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A Kratos session, with Kratos' JSON field names. The session token itself is never part of it: only a hash of the
 * token is stored.
 *
 * @param id the session id
 * @param active whether the session is active
 * @param expiresAt when it expires
 * @param authenticatedAt when the identity authenticated
 * @param issuedAt when it was issued
 * @param authenticatorAssuranceLevel {@code aal1} or {@code aal2}
 * @param authenticationMethods how the identity authenticated
 * @param identityId the identity's id
 * @param identity the identity, when loaded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Session(
    @JsonProperty("id") UUID id,
    @JsonProperty("active") boolean active,
    @JsonProperty("expires_at") Instant expiresAt,
    @JsonProperty("authenticated_at") Instant authenticatedAt,
    @JsonProperty("issued_at") Instant issuedAt,
    @JsonProperty("authenticator_assurance_level") String authenticatorAssuranceLevel,
    @JsonProperty("authentication_methods") List<AuthenticationMethod> authenticationMethods,
    @JsonProperty("identity_id") UUID identityId,
    @JsonProperty("identity") @Nullable Identity identity) {

  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(expiresAt, "expiresAt");
    authenticationMethods = List.copyOf(authenticationMethods);
    Objects.requireNonNull(identityId, "identityId");
  }

  /** A completed authentication step. */
  public record AuthenticationMethod(@JsonProperty("method") String method, @JsonProperty("aal") String aal,
      @JsonProperty("completed_at") Instant completedAt) {}

  /** True when active and not expired at {@code now}. */
  public boolean isActiveAt(Instant now) {
    return active && now.isBefore(expiresAt);
  }

  public Session withIdentity(@Nullable Identity i) {
    return new Session(id, active, expiresAt, authenticatedAt, issuedAt, authenticatorAssuranceLevel,
        authenticationMethods, identityId, i);
  }

  public Session revoked() {
    return new Session(id, false, expiresAt, authenticatedAt, issuedAt, authenticatorAssuranceLevel,
        authenticationMethods, identityId, identity);
  }
}
