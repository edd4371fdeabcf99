package io.ory4j.oauth2.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.oauth2.spi.JtiStore;
import java.time.Instant;
import java.util.Objects;

/**
 * A {@link JtiStore} on table {@code ory4j_oauth2_jti} (Hydra's {@code hydra_oauth2_jti_blacklist}). The first use is
 * an {@code INSERT} on the primary key; an expired mark is renewed by one conditional {@code UPDATE ... WHERE
 * expires_at <= now}, so of concurrent uses, across processes, exactly one wins.
 */
public final class JdbcJtiStore implements JtiStore {

  private final Jdbc jdbc;

  public JdbcJtiStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public boolean markUsed(String signature, Instant expiresAt, Instant now) {
    try {
      jdbc.update("INSERT INTO ory4j_oauth2_jti (signature, expires_at) VALUES (?, ?)", signature, expiresAt);
      return true;
    } catch (DuplicateException e) {
      return jdbc.update("UPDATE ory4j_oauth2_jti SET expires_at = ? WHERE signature = ? AND expires_at <= ?",
          expiresAt, signature, now) == 1;
    }
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbc.update("DELETE FROM ory4j_oauth2_jti WHERE expires_at < ?", before);
  }
}
