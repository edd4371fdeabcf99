-- Used JWT ids (client assertions), as Hydra's hydra_oauth2_jti_blacklist: a digest of the jti, kept until it expires.
CREATE TABLE ory4j_oauth2_jti (
  signature VARCHAR(64) NOT NULL PRIMARY KEY,
  expires_at TIMESTAMP NOT NULL
);
CREATE INDEX ory4j_oauth2_jti_expires_idx ON ory4j_oauth2_jti (expires_at);
