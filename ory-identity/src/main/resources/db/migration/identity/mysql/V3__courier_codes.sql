-- The courier's message queue (Kratos' courier_messages) and the one-time codes of self-service flows (hashes only).
CREATE TABLE ory4j_courier_messages (
  id CHAR(36) NOT NULL PRIMARY KEY,
  type VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL,
  recipient VARCHAR(320) NOT NULL,
  subject VARCHAR(1024) NOT NULL,
  body MEDIUMTEXT NOT NULL,
  html_body MEDIUMTEXT,
  template_type VARCHAR(64) NOT NULL,
  send_count INT NOT NULL,
  identity_id CHAR(36),
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ory4j_courier_messages_status_idx ON ory4j_courier_messages (status, created_at);
CREATE INDEX ory4j_courier_messages_identity_idx ON ory4j_courier_messages (identity_id);
CREATE TABLE ory4j_selfservice_codes (
  id CHAR(36) NOT NULL PRIMARY KEY,
  purpose VARCHAR(32) NOT NULL,
  code_hash CHAR(64) NOT NULL,
  flow_id CHAR(36) NOT NULL,
  identity_id CHAR(36) NOT NULL,
  address VARCHAR(320) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6),
  failed_attempts INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ory4j_selfservice_codes_flow_idx ON ory4j_selfservice_codes (flow_id, purpose);
CREATE INDEX ory4j_selfservice_codes_hash_idx ON ory4j_selfservice_codes (purpose, code_hash);
CREATE INDEX ory4j_selfservice_codes_identity_idx ON ory4j_selfservice_codes (identity_id);
