package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A granted consent: listed by {@code /admin/oauth2/auth/sessions/consent}, and when remembered, what lets a later
 * flow skip the consent.
 *
 * @param challenge the consent challenge it answered
 * @param subject the subject
 * @param clientId the client
 * @param loginSessionId the login session it was granted in, if any
 * @param grant what was granted
 * @param expiresAt when a remembered consent stops applying, or null for never
 */
public record ConsentSession(String challenge, String subject, ClientId clientId, @Nullable String loginSessionId,
    ConsentGrant grant, @Nullable Instant expiresAt) {
  public ConsentSession {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(grant, "grant");
  }
}
