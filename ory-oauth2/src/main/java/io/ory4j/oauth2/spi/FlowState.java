package io.ory4j.oauth2.spi;

/** The states of a login and consent flow, as Hydra's. */
public enum FlowState {
  /** Waiting for the login app to accept or reject the login request. */
  LOGIN_INITIALIZED,
  /** Login answered; the login verifier has not come back yet. */
  LOGIN_UNUSED,
  /** Waiting for the consent app to accept or reject the consent request. */
  CONSENT_INITIALIZED,
  /** Consent answered; the consent verifier has not come back yet. */
  CONSENT_UNUSED,
  /** The consent verifier came back and the authorization response was sent. */
  CONSENT_USED,
  /** The login was rejected. */
  LOGIN_ERROR,
  /** The consent was rejected. */
  CONSENT_ERROR
}
