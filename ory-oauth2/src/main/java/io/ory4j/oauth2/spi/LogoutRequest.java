package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A logout request (RP-initiated or started by the browser), answered on the admin API with the logout challenge.
 *
 * @param challenge the logout challenge
 * @param subject the subject being logged out
 * @param sessionId the login session
 * @param clientId the client that initiated it, if any
 * @param requestUrl the URL of the logout request
 * @param postLogoutRedirectUri where to send the browser afterwards, validated against the client
 * @param state the state to return with it
 * @param rpInitiated true when a client initiated it
 * @param verifier the logout verifier, once accepted
 * @param accepted true once accepted
 * @param rejected true once rejected
 * @param used true once the verifier came back
 * @param expiresAt when it expires
 */
public record LogoutRequest(String challenge, String subject, String sessionId, @Nullable ClientId clientId,
    String requestUrl, @Nullable String postLogoutRedirectUri, @Nullable String state, boolean rpInitiated,
    @Nullable String verifier, boolean accepted, boolean rejected, boolean used, Instant expiresAt) {
  public LogoutRequest {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(requestUrl, "requestUrl");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public LogoutRequest accept(String newVerifier) {
    return new LogoutRequest(challenge, subject, sessionId, clientId, requestUrl, postLogoutRedirectUri, state,
        rpInitiated, newVerifier, true, false, false, expiresAt);
  }

  public LogoutRequest reject() {
    return new LogoutRequest(challenge, subject, sessionId, clientId, requestUrl, postLogoutRedirectUri, state,
        rpInitiated, null, false, true, false, expiresAt);
  }

  public LogoutRequest markUsed() {
    return new LogoutRequest(challenge, subject, sessionId, clientId, requestUrl, postLogoutRedirectUri, state,
        rpInitiated, verifier, accepted, rejected, true, expiresAt);
  }
}
