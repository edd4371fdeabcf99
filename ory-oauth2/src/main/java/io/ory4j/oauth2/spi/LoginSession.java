package io.ory4j.oauth2.spi;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A login session: what the login session cookie points to. A remembered session lets later flows skip the login.
 *
 * @param id the session id (in the cookie)
 * @param subject the subject
 * @param authenticatedAt when the subject authenticated
 * @param remember true when the login app asked to remember it
 * @param expiresAt when it stops applying, or null for never
 */
public record LoginSession(String id, String subject, Instant authenticatedAt, boolean remember,
    @Nullable Instant expiresAt) {
  public LoginSession {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(authenticatedAt, "authenticatedAt");
  }
}
