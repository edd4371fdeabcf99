-- OAuth 2.0 clients; metadata as Hydra's client JSON, secrets only as hashes (or encrypted, for client_secret_jwt).
CREATE TABLE ory4j_oauth2_client (
  id VARCHAR(191) NOT NULL PRIMARY KEY,
  client_name VARCHAR(191) NOT NULL,
  owner VARCHAR(191) NOT NULL,
  data TEXT NOT NULL,
  secret_hashes TEXT NOT NULL,
  secret_enc TEXT,
  created_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Token sessions by the HMAC signature of the token; the token itself is never stored.
CREATE TABLE ory4j_oauth2_token (
  kind VARCHAR(16) NOT NULL,
  signature VARCHAR(191) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  client_id VARCHAR(191) NOT NULL,
  subject VARCHAR(191),
  scopes TEXT NOT NULL,
  audience TEXT NOT NULL,
  requested_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  active BOOLEAN NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (kind, signature)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ory4j_oauth2_token_request_idx ON ory4j_oauth2_token (request_id);
CREATE INDEX ory4j_oauth2_token_client_idx ON ory4j_oauth2_token (client_id);
CREATE INDEX ory4j_oauth2_token_subject_idx ON ory4j_oauth2_token (subject);
CREATE INDEX ory4j_oauth2_token_expires_idx ON ory4j_oauth2_token (expires_at);
-- Login and consent flows; the id is the login challenge.
CREATE TABLE ory4j_oauth2_flow (
  id VARCHAR(191) NOT NULL PRIMARY KEY,
  state VARCHAR(32) NOT NULL,
  login_verifier VARCHAR(191),
  consent_challenge VARCHAR(191),
  consent_verifier VARCHAR(191),
  expires_at DATETIME(6) NOT NULL,
  data TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX ory4j_oauth2_flow_lv_idx ON ory4j_oauth2_flow (login_verifier);
CREATE UNIQUE INDEX ory4j_oauth2_flow_cc_idx ON ory4j_oauth2_flow (consent_challenge);
CREATE UNIQUE INDEX ory4j_oauth2_flow_cv_idx ON ory4j_oauth2_flow (consent_verifier);
CREATE INDEX ory4j_oauth2_flow_expires_idx ON ory4j_oauth2_flow (expires_at);
-- Login sessions (the login session cookie points here).
CREATE TABLE ory4j_oauth2_login_session (
  id VARCHAR(191) NOT NULL PRIMARY KEY,
  subject VARCHAR(191) NOT NULL,
  authenticated_at DATETIME(6) NOT NULL,
  remember BOOLEAN NOT NULL,
  expires_at DATETIME(6)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ory4j_oauth2_login_session_subject_idx ON ory4j_oauth2_login_session (subject);
-- Granted consents.
CREATE TABLE ory4j_oauth2_consent_session (
  challenge VARCHAR(191) NOT NULL PRIMARY KEY,
  subject VARCHAR(191) NOT NULL,
  client_id VARCHAR(191) NOT NULL,
  handled_at DATETIME(6) NOT NULL,
  data TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ory4j_oauth2_consent_session_subject_idx ON ory4j_oauth2_consent_session (subject, client_id);
-- Logout requests.
CREATE TABLE ory4j_oauth2_logout (
  challenge VARCHAR(191) NOT NULL PRIMARY KEY,
  verifier VARCHAR(191),
  expires_at DATETIME(6) NOT NULL,
  data TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX ory4j_oauth2_logout_verifier_idx ON ory4j_oauth2_logout (verifier);
