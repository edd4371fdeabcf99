package io.ory4j.oauth2;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A trust relationship of the JWT bearer grant (Hydra's {@code trustedOAuth2JwtGrantIssuer}): assertions whose
 * {@code iss} is {@code issuer}, whose {@code sub} is {@code subject} (or any subject), signed by {@code publicJwk},
 * may ask for {@code scope} until {@code expiresAt}.
 *
 * @param id the relationship's id (a UUID)
 * @param issuer the assertion's {@code iss}
 * @param subject the assertion's {@code sub}; empty when {@code allowAnySubject}
 * @param allowAnySubject any {@code sub} is accepted
 * @param scope the scopes the assertions may request
 * @param keyId the public key's {@code kid} (Hydra's {@code public_key.kid}; its {@code set} is the issuer)
 * @param publicJwk the public key as a JWK JSON object (never a private key)
 * @param createdAt when it was created (seconds precision, as Hydra)
 * @param expiresAt when it stops being trusted (seconds precision)
 */
public record TrustedJwtGrantIssuer(String id, String issuer, String subject, boolean allowAnySubject,
    List<String> scope, String keyId, Map<String, Object> publicJwk, Instant createdAt, Instant expiresAt) {

  public TrustedJwtGrantIssuer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(issuer, "issuer");
    subject = subject == null ? "" : subject;
    scope = List.copyOf(scope);
    Objects.requireNonNull(keyId, "keyId");
    publicJwk = Map.copyOf(publicJwk);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether an assertion with this {@code sub} falls under the relationship. */
  public boolean coversSubject(@Nullable String sub) {
    return allowAnySubject || subject.equals(sub);
  }
}
