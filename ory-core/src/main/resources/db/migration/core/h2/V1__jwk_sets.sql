-- JSON Web Key sets; the private JWK is encrypted under the system secret.
CREATE TABLE ory4j_jwk (
  set_id VARCHAR(255) NOT NULL,
  kid VARCHAR(255) NOT NULL,
  alg VARCHAR(32) NOT NULL,
  key_use VARCHAR(8) NOT NULL,
  public_jwk CLOB NOT NULL,
  private_jwk_enc CLOB NOT NULL,
  created_at TIMESTAMP NOT NULL,
  PRIMARY KEY (set_id, kid)
);
CREATE INDEX ory4j_jwk_set_created_idx ON ory4j_jwk (set_id, created_at);
