-- Trust relationships of the JWT bearer grant (RFC 7523), as Hydra's hydra_oauth2_trusted_jwt_bearer_issuer: the
-- public key is kept with the relationship; subject is '' when any subject is allowed.
CREATE TABLE ory4j_oauth2_trust (
  id VARCHAR(64) NOT NULL PRIMARY KEY,
  issuer VARCHAR(255) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  allow_any_subject BOOLEAN NOT NULL,
  scope TEXT NOT NULL,
  key_id VARCHAR(255) NOT NULL,
  jwk TEXT NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX ory4j_oauth2_trust_key_idx ON ory4j_oauth2_trust (issuer, subject, key_id);
CREATE INDEX ory4j_oauth2_trust_expires_idx ON ory4j_oauth2_trust (expires_at);
