package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.identity.spi.FlowStore;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A {@link FlowStore} on table {@code ory4j_selfservice_flows} (migration V2 of module {@code identity}). */
public final class JdbcFlowStore implements FlowStore {

  private static final RowMapper<StoredFlow> MAPPER = r -> new StoredFlow(UUID.fromString(r.requireString("id")),
      r.requireString("kind"), r.requireString("flavor"), r.requireString("document"), r.requireInstant("expires_at"),
      r.requireString("csrf_token"), r.string("return_to"));

  private final Jdbc jdbc;

  public JdbcFlowStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void save(StoredFlow f) {
    jdbc.inTransaction(tx -> {
      int n = tx.update("UPDATE ory4j_selfservice_flows SET document = ?, expires_at = ?, return_to = ? WHERE id = ?",
          f.json(), f.expiresAt(), f.returnTo(), f.id().toString());
      if (n == 0) {
        tx.update("INSERT INTO ory4j_selfservice_flows (id, kind, flavor, document, expires_at, csrf_token, return_to) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)", f.id().toString(), f.kind(), f.flavor(), f.json(), f.expiresAt(),
            f.csrfToken(), f.returnTo());
      }
      return null;
    });
  }

  @Override
  public Optional<StoredFlow> find(UUID id) {
    return jdbc.queryOne("SELECT id, kind, flavor, document, expires_at, csrf_token, return_to FROM "
        + "ory4j_selfservice_flows WHERE id = ?", MAPPER, id.toString());
  }

  @Override
  public void delete(UUID id) {
    jdbc.update("DELETE FROM ory4j_selfservice_flows WHERE id = ?", id.toString());
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbc.update("DELETE FROM ory4j_selfservice_flows WHERE expires_at < ?", before);
  }
}
