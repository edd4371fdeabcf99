package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Stores login and consent flows, login sessions, consent sessions and logout requests. */
public interface FlowStore {

  /** How a flow is looked up. */
  enum FlowKey { LOGIN_CHALLENGE, LOGIN_VERIFIER, CONSENT_CHALLENGE, CONSENT_VERIFIER }

  /** Adds a flow. */
  void createFlow(Flow flow);

  /** The flow whose {@code key} is {@code value}. */
  Optional<Flow> findFlow(FlowKey key, String value);

  /**
   * Replaces a flow if it is still in {@code expected} state. Atomic: of two concurrent updates from one state, one
   * wins; the other gets false.
   */
  boolean updateFlow(Flow flow, FlowState expected);

  /** Adds or replaces a login session. */
  void saveLoginSession(LoginSession session);

  Optional<LoginSession> findLoginSession(String id);

  /** Deletes a login session; false when it did not exist. */
  boolean deleteLoginSession(String id);

  /** Deletes every login session of a subject; returns how many. */
  int deleteLoginSessions(String subject);

  /** Adds a granted consent. */
  void saveConsentSession(ConsentSession session);

  /** The granted consents of a subject, newest first; only those of {@code clientId} when it is set. */
  List<ConsentSession> consentSessions(String subject, @Nullable ClientId clientId);

  /** Deletes the granted consents of a subject, only those of {@code clientId} when set; returns how many. */
  int revokeConsentSessions(String subject, @Nullable ClientId clientId);

  /** Adds or replaces a logout request. */
  void saveLogout(LogoutRequest request);

  /** The logout request with this challenge. */
  Optional<LogoutRequest> findLogout(String challenge);

  /** The logout request with this verifier. */
  Optional<LogoutRequest> findLogoutByVerifier(String verifier);

  /** Deletes flows, logout requests and login sessions that expired before {@code before}; returns how many. */
  int deleteExpired(Instant before);
}
