package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.Session;
import io.ory4j.identity.spi.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A {@link SessionStore} on table {@code ory4j_sessions}; only the SHA-256 of a token is stored. */
public final class JdbcSessionStore implements SessionStore {

  private final Jdbc jdbc;
  private final OryJson json;

  public JdbcSessionStore(Jdbc jdbc, OryJson json) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public void create(Session s, String tokenHash) {
    jdbc.update("INSERT INTO ory4j_sessions (id, token_hash, identity_id, active, issued_at, document) "
        + "VALUES (?, ?, ?, ?, ?, ?)", s.id().toString(), tokenHash, s.identityId().toString(), s.active(),
        s.issuedAt(), json.write(s.withIdentity(null)));
  }

  private Session read(io.ory4j.core.jdbc.Row r) throws java.sql.SQLException {
    Session s = json.read(r.requireString("document"), Session.class);
    return r.bool("active") == s.active() ? s : s.revoked();
  }

  @Override
  public Optional<Session> findByTokenHash(String tokenHash) {
    return jdbc.queryOne("SELECT active, document FROM ory4j_sessions WHERE token_hash = ?", this::read, tokenHash);
  }

  @Override
  public Optional<Session> find(UUID id) {
    return jdbc.queryOne("SELECT active, document FROM ory4j_sessions WHERE id = ?", this::read, id.toString());
  }

  @Override
  public Page<Session> list(UUID identityId, Boolean active, PageRequest page) {
    List<String> where = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (identityId != null) {
      where.add("identity_id = ?");
      params.add(identityId.toString());
    }
    if (active != null) {
      where.add("active = ?");
      params.add(active);
    }
    if (page.pageToken() != null) {
      where.add("id > ?");
      params.add(PageToken.decode(page.pageToken()));
    }
    String sql = "SELECT active, document FROM ory4j_sessions" + (where.isEmpty() ? "" : " WHERE "
        + String.join(" AND ", where)) + " ORDER BY id LIMIT " + (page.pageSize() + 1);
    return Page.fromOverfetch(jdbc.query(sql, this::read, params.toArray()), page.pageSize(),
        s -> s.id().toString());
  }

  /** Rewrites columns {@code active} and {@code document}; the token hash, identity and issue time stay. */
  @Override
  public boolean update(Session s) {
    return jdbc.update("UPDATE ory4j_sessions SET active = ?, document = ? WHERE id = ?", s.active(),
        json.write(s.withIdentity(null)), s.id().toString()) > 0;
  }

  @Override
  public boolean revoke(UUID id) {
    return jdbc.update("UPDATE ory4j_sessions SET active = ? WHERE id = ?", false, id.toString()) > 0;
  }

  @Override
  public int revokeAll(UUID identityId, UUID keep) {
    return keep == null
        ? jdbc.update("UPDATE ory4j_sessions SET active = ? WHERE identity_id = ? AND active = ?", false,
            identityId.toString(), true)
        : jdbc.update("UPDATE ory4j_sessions SET active = ? WHERE identity_id = ? AND active = ? AND id <> ?", false,
            identityId.toString(), true, keep.toString());
  }

  @Override
  public int deleteAll(UUID identityId) {
    return jdbc.update("DELETE FROM ory4j_sessions WHERE identity_id = ?", identityId.toString());
  }
}
