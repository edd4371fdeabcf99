package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One login and consent flow: started by {@code /oauth2/auth}, answered by the login and consent apps, finished when
 * the consent verifier comes back. Its id is the login challenge.
 *
 * @param id the login challenge
 * @param state where the flow is
 * @param clientId the client that started it
 * @param requestUrl the authorization request URL the browser came with
 * @param requestedScope the requested scopes
 * @param requestedAudience the requested audience
 * @param requestedAt when the flow started
 * @param expiresAt when it expires
 * @param csrf the value of the CSRF cookie bound to this flow
 * @param loginSkip true when a remembered login session applies
 * @param loginSessionId the login session (cookie) id
 * @param login the accepted login, once answered
 * @param loginVerifier the login verifier, once the login is answered
 * @param consentChallenge the consent challenge, once the login verifier came back
 * @param consentSkip true when a remembered consent applies
 * @param consent the accepted consent, once answered
 * @param consentVerifier the consent verifier, once the consent is answered
 * @param error the rejection, if the login or consent app rejected
 */
public record Flow(String id, FlowState state, ClientId clientId, String requestUrl, List<String> requestedScope,
    List<String> requestedAudience, Instant requestedAt, Instant expiresAt, String csrf, boolean loginSkip,
    @Nullable String loginSessionId, @Nullable LoginGrant login, @Nullable String loginVerifier,
    @Nullable String consentChallenge, boolean consentSkip, @Nullable ConsentGrant consent,
    @Nullable String consentVerifier, @Nullable FlowError error) {

  public Flow {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(requestUrl, "requestUrl");
    requestedScope = List.copyOf(requestedScope);
    requestedAudience = List.copyOf(requestedAudience);
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(csrf, "csrf");
  }

  /** The login has been answered. */
  public Flow withLogin(LoginGrant grant, String verifier, @Nullable String sessionId) {
    return new Flow(id, FlowState.LOGIN_UNUSED, clientId, requestUrl, requestedScope, requestedAudience, requestedAt,
        expiresAt, csrf, loginSkip, sessionId, grant, verifier, null, false, null, null, null);
  }

  /** The login verifier came back: the consent request starts. */
  public Flow withConsentChallenge(String challenge, boolean skip) {
    return new Flow(id, FlowState.CONSENT_INITIALIZED, clientId, requestUrl, requestedScope, requestedAudience,
        requestedAt, expiresAt, csrf, loginSkip, loginSessionId, login, loginVerifier, challenge, skip, null, null,
        null);
  }

  /** The consent has been answered. */
  public Flow withConsent(ConsentGrant grant, String verifier) {
    return new Flow(id, FlowState.CONSENT_UNUSED, clientId, requestUrl, requestedScope, requestedAudience,
        requestedAt, expiresAt, csrf, loginSkip, loginSessionId, login, loginVerifier, consentChallenge, consentSkip,
        grant, verifier, null);
  }

  /** The flow is in {@code newState}. */
  public Flow withState(FlowState newState) {
    return new Flow(id, newState, clientId, requestUrl, requestedScope, requestedAudience, requestedAt, expiresAt,
        csrf, loginSkip, loginSessionId, login, loginVerifier, consentChallenge, consentSkip, consent,
        consentVerifier, error);
  }

  /** The login or consent app rejected; {@code verifier} takes the browser back to the client with the error. */
  public Flow withError(FlowError e, FlowState newState, String verifier) {
    boolean atLogin = newState == FlowState.LOGIN_ERROR;
    return new Flow(id, newState, clientId, requestUrl, requestedScope, requestedAudience, requestedAt, expiresAt,
        csrf, loginSkip, loginSessionId, login, atLogin ? verifier : loginVerifier, consentChallenge, consentSkip,
        consent, atLogin ? consentVerifier : verifier, e);
  }
}
