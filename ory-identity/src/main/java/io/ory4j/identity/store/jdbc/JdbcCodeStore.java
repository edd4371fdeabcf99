package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.identity.spi.CodeStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A {@link CodeStore} on table {@code ory4j_selfservice_codes} (migration V3 of module {@code identity}). */
public final class JdbcCodeStore implements CodeStore {

  private static final String COLUMNS = "id, purpose, code_hash, flow_id, identity_id, address, expires_at, used_at, "
      + "failed_attempts";
  private static final RowMapper<OneTimeCode> MAPPER = r -> new OneTimeCode(UUID.fromString(r.requireString("id")),
      r.requireString("purpose"), r.requireString("code_hash"), UUID.fromString(r.requireString("flow_id")),
      UUID.fromString(r.requireString("identity_id")), r.requireString("address"), r.requireInstant("expires_at"),
      r.instant("used_at"), r.getInt("failed_attempts"));

  private final Jdbc jdbc;

  public JdbcCodeStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void save(OneTimeCode c) {
    jdbc.update("INSERT INTO ory4j_selfservice_codes (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.id().toString(), c.purpose(), c.codeHash(), c.flowId().toString(), c.identityId().toString(), c.address(),
        c.expiresAt(), c.usedAt(), c.failedAttempts());
  }

  @Override
  public List<OneTimeCode> findUnused(UUID flowId, String purpose) {
    return jdbc.query("SELECT " + COLUMNS + " FROM ory4j_selfservice_codes WHERE flow_id = ? AND purpose = ? AND "
        + "used_at IS NULL ORDER BY expires_at DESC", MAPPER, flowId.toString(), purpose);
  }

  @Override
  public Optional<OneTimeCode> findByHash(String purpose, String codeHash) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM ory4j_selfservice_codes WHERE purpose = ? AND code_hash = ?",
        MAPPER, purpose, codeHash);
  }

  @Override
  public boolean markUsed(UUID id, Instant at) {
    return jdbc.update("UPDATE ory4j_selfservice_codes SET used_at = ? WHERE id = ? AND used_at IS NULL", at,
        id.toString()) == 1;
  }

  @Override
  public int countFailure(UUID id) {
    return jdbc.inTransaction(tx -> {
      tx.update("UPDATE ory4j_selfservice_codes SET failed_attempts = failed_attempts + 1 WHERE id = ?",
          id.toString());
      return tx.query("SELECT failed_attempts FROM ory4j_selfservice_codes WHERE id = ?", r -> r.getInt(
          "failed_attempts"), id.toString()).stream().findFirst().orElse(0);
    });
  }

  @Override
  public List<OneTimeCode> findForIdentity(UUID identityId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM ory4j_selfservice_codes WHERE identity_id = ? ORDER BY expires_at, "
        + "id", MAPPER, identityId.toString());
  }

  @Override
  public int deleteForIdentity(UUID identityId) {
    return jdbc.update("DELETE FROM ory4j_selfservice_codes WHERE identity_id = ?", identityId.toString());
  }
}
