package io.ory4j.core.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.spi.StoredKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link JwkSetStore} on table {@code ory4j_jwk} (migrations of module {@code core}). Private keys arrive
 * already encrypted.
 */
public final class JdbcJwkSetStore implements JwkSetStore {

  private static final String COLUMNS = "set_id, kid, alg, key_use, public_jwk, private_jwk_enc, created_at";
  private static final RowMapper<StoredKey> MAPPER = r -> new StoredKey(r.requireString("set_id"),
      r.requireString("kid"), r.requireString("alg"), r.requireString("key_use"), r.requireString("public_jwk"),
      r.requireString("private_jwk_enc"), r.requireInstant("created_at"));

  private final Jdbc jdbc;

  public JdbcJwkSetStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void add(StoredKey k) {
    jdbc.update("INSERT INTO ory4j_jwk (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", k.set(), k.kid(),
        k.algorithm(), k.use(), k.publicJwk(), k.encryptedPrivateJwk(), k.createdAt());
  }

  @Override
  public List<StoredKey> findSet(String set) {
    return jdbc.query("SELECT " + COLUMNS + " FROM ory4j_jwk WHERE set_id = ? ORDER BY created_at DESC, kid DESC",
        MAPPER, set);
  }

  @Override
  public Optional<StoredKey> find(String set, String kid) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM ory4j_jwk WHERE set_id = ? AND kid = ?", MAPPER, set, kid);
  }

  @Override
  public boolean delete(String set, String kid) {
    return jdbc.update("DELETE FROM ory4j_jwk WHERE set_id = ? AND kid = ?", set, kid) > 0;
  }

  @Override
  public int deleteSet(String set) {
    return jdbc.update("DELETE FROM ory4j_jwk WHERE set_id = ?", set);
  }

  @Override
  public List<String> listSets() {
    return jdbc.query("SELECT DISTINCT set_id FROM ory4j_jwk ORDER BY set_id", r -> r.requireString("set_id"));
  }
}
