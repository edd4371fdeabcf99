-- Identities are stored as their JSON document (traits, addresses, metadata, credentials with password hashes);
-- credential identifiers live in their own table, whose primary key makes them unique per credential type.
CREATE TABLE ory4j_identities (
  id CHAR(36) NOT NULL PRIMARY KEY,
  schema_id VARCHAR(255) NOT NULL,
  document MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE ory4j_identity_identifiers (
  credential_type VARCHAR(32) NOT NULL,
  identifier VARCHAR(255) NOT NULL,
  identity_id CHAR(36) NOT NULL,
  PRIMARY KEY (credential_type, identifier),
  INDEX ory4j_identity_identifiers_identity_idx (identity_id),
  CONSTRAINT ory4j_identity_identifiers_fk FOREIGN KEY (identity_id) REFERENCES ory4j_identities (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- Sessions: only the SHA-256 of the session token is stored.
CREATE TABLE ory4j_sessions (
  id CHAR(36) NOT NULL PRIMARY KEY,
  token_hash CHAR(64) NOT NULL UNIQUE,
  identity_id CHAR(36) NOT NULL,
  active BOOLEAN NOT NULL,
  issued_at DATETIME(6) NOT NULL,
  document MEDIUMTEXT NOT NULL,
  INDEX ory4j_sessions_identity_idx (identity_id, issued_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
