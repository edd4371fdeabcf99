package io.ory4j.oauth2.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TrustedIssuerStore} on table {@code ory4j_oauth2_trust} (migration V3 of module {@code oauth2}); a unique
 * index on issuer, subject and key id refuses duplicates, across processes.
 */
public final class JdbcTrustedIssuerStore implements TrustedIssuerStore {

  private static final String COLUMNS = "id, issuer, subject, allow_any_subject, scope, key_id, jwk, created_at, "
      + "expires_at";
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final Jdbc jdbc;
  private final OryJson json = OryJson.create();
  private final RowMapper<TrustedJwtGrantIssuer> mapper;

  public JdbcTrustedIssuerStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.mapper = r -> new TrustedJwtGrantIssuer(r.requireString("id"), r.requireString("issuer"),
        r.requireString("subject"), r.bool("allow_any_subject"),
        json.read(r.requireString("scope").getBytes(StandardCharsets.UTF_8), STRINGS), r.requireString("key_id"),
        json.read(r.requireString("jwk").getBytes(StandardCharsets.UTF_8), OBJECT), r.requireInstant("created_at"),
        r.requireInstant("expires_at"));
  }

  @Override
  public void create(TrustedJwtGrantIssuer t) {
    jdbc.update("INSERT INTO ory4j_oauth2_trust (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", t.id(),
        t.issuer(), t.subject(), t.allowAnySubject(), json.write(t.scope()), t.keyId(), json.write(t.publicJwk()),
        t.createdAt(), t.expiresAt());
  }

  @Override
  public Optional<TrustedJwtGrantIssuer> find(String id) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM ory4j_oauth2_trust WHERE id = ?", mapper, id);
  }

  @Override
  public Page<TrustedJwtGrantIssuer> list(PageRequest page, @Nullable String issuer) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM ory4j_oauth2_trust WHERE 1 = 1");
    List<Object> params = new ArrayList<>();
    if (page.pageToken() != null) {
      sql.append(" AND id > ?");
      params.add(PageToken.decode(page.pageToken()));
    }
    if (issuer != null) {
      sql.append(" AND issuer = ?");
      params.add(issuer);
    }
    sql.append(" ORDER BY id LIMIT ?");
    params.add(page.pageSize() + 1);
    return Page.fromOverfetch(jdbc.query(sql.toString(), mapper, params.toArray()), page.pageSize(),
        TrustedJwtGrantIssuer::id);
  }

  @Override
  public boolean delete(String id) {
    return jdbc.update("DELETE FROM ory4j_oauth2_trust WHERE id = ?", id) > 0;
  }

  @Override
  public List<TrustedJwtGrantIssuer> findActive(String issuer, String subject, Instant now) {
    return jdbc.query("SELECT " + COLUMNS + " FROM ory4j_oauth2_trust WHERE issuer = ? AND (subject = ? OR "
        + "allow_any_subject = ?) AND expires_at > ? ORDER BY id", mapper, issuer, subject, true, now);
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbc.update("DELETE FROM ory4j_oauth2_trust WHERE expires_at < ?", before);
  }
}
