-- OAuth 2.0 clients; metadata as Hydra's client JSON, secrets only as hashes (or encrypted, for client_secret_jwt).
CREATE TABLE ory4j_oauth2_client (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  client_name VARCHAR(255) NOT NULL,
  owner VARCHAR(255) NOT NULL,
  data TEXT NOT NULL,
  secret_hashes TEXT NOT NULL,
  secret_enc TEXT,
  created_at TIMESTAMP NOT NULL
);
-- Token sessions by the HMAC signature of the token; the token itself is never stored.
CREATE TABLE ory4j_oauth2_token (
  kind VARCHAR(16) NOT NULL,
  signature VARCHAR(255) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  client_id VARCHAR(255) NOT NULL,
  subject VARCHAR(255),
  scopes TEXT NOT NULL,
  audience TEXT NOT NULL,
  requested_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL,
  active BOOLEAN NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (kind, signature)
);
CREATE INDEX ory4j_oauth2_token_request_idx ON ory4j_oauth2_token (request_id);
CREATE INDEX ory4j_oauth2_token_client_idx ON ory4j_oauth2_token (client_id);
CREATE INDEX ory4j_oauth2_token_subject_idx ON ory4j_oauth2_token (subject);
CREATE INDEX ory4j_oauth2_token_expires_idx ON ory4j_oauth2_token (expires_at);
-- Login and consent flows; the id is the login challenge.
CREATE TABLE ory4j_oauth2_flow (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  state VARCHAR(32) NOT NULL,
  login_verifier VARCHAR(255),
  consent_challenge VARCHAR(255),
  consent_verifier VARCHAR(255),
  expires_at TIMESTAMP NOT NULL,
  data TEXT NOT NULL
);
CREATE UNIQUE INDEX ory4j_oauth2_flow_lv_idx ON ory4j_oauth2_flow (login_verifier);
CREATE UNIQUE INDEX ory4j_oauth2_flow_cc_idx ON ory4j_oauth2_flow (consent_challenge);
CREATE UNIQUE INDEX ory4j_oauth2_flow_cv_idx ON ory4j_oauth2_flow (consent_verifier);
CREATE INDEX ory4j_oauth2_flow_expires_idx ON ory4j_oauth2_flow (expires_at);
-- Login sessions (the login session cookie points here).
CREATE TABLE ory4j_oauth2_login_session (
  id VARCHAR(255) NOT NULL PRIMARY KEY,
  subject VARCHAR(255) NOT NULL,
  authenticated_at TIMESTAMP NOT NULL,
  remember BOOLEAN NOT NULL,
  expires_at TIMESTAMP
);
CREATE INDEX ory4j_oauth2_login_session_subject_idx ON ory4j_oauth2_login_session (subject);
-- Granted consents.
CREATE TABLE ory4j_oauth2_consent_session (
  challenge VARCHAR(255) NOT NULL PRIMARY KEY,
  subject VARCHAR(255) NOT NULL,
  client_id VARCHAR(255) NOT NULL,
  handled_at TIMESTAMP NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX ory4j_oauth2_consent_session_subject_idx ON ory4j_oauth2_consent_session (subject, client_id);
-- Logout requests.
CREATE TABLE ory4j_oauth2_logout (
  challenge VARCHAR(255) NOT NULL PRIMARY KEY,
  verifier VARCHAR(255),
  expires_at TIMESTAMP NOT NULL,
  data TEXT NOT NULL
);
CREATE UNIQUE INDEX ory4j_oauth2_logout_verifier_idx ON ory4j_oauth2_logout (verifier);
