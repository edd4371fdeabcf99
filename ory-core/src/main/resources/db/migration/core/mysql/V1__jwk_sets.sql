-- JSON Web Key sets; the private JWK is encrypted under the system secret.
CREATE TABLE ory4j_jwk (
  set_id VARCHAR(191) NOT NULL,
  kid VARCHAR(191) NOT NULL,
  alg VARCHAR(32) NOT NULL,
  key_use VARCHAR(8) NOT NULL,
  public_jwk TEXT NOT NULL,
  private_jwk_enc TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  PRIMARY KEY (set_id, kid),
  INDEX ory4j_jwk_set_created_idx (set_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
