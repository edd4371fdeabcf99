-- Identities are stored as their JSON document (traits, addresses, metadata, credentials with password hashes);
-- credential identifiers live in their own table, whose primary key makes them unique per credential type.
CREATE TABLE ory4j_identities (
  id CHAR(36) NOT NULL PRIMARY KEY,
  schema_id VARCHAR(255) NOT NULL,
  document TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  updated_at TIMESTAMP NOT NULL
);
CREATE TABLE ory4j_identity_identifiers (
  credential_type VARCHAR(32) NOT NULL,
  identifier VARCHAR(255) NOT NULL,
  identity_id CHAR(36) NOT NULL REFERENCES ory4j_identities (id) ON DELETE CASCADE,
  PRIMARY KEY (credential_type, identifier)
);
CREATE INDEX ory4j_identity_identifiers_identity_idx ON ory4j_identity_identifiers (identity_id);
-- Sessions: only the SHA-256 of the session token is stored.
CREATE TABLE ory4j_sessions (
  id CHAR(36) NOT NULL PRIMARY KEY,
  token_hash CHAR(64) NOT NULL UNIQUE,
  identity_id CHAR(36) NOT NULL,
  active BOOLEAN NOT NULL,
  issued_at TIMESTAMP NOT NULL,
  document TEXT NOT NULL
);
CREATE INDEX ory4j_sessions_identity_idx ON ory4j_sessions (identity_id, issued_at);
