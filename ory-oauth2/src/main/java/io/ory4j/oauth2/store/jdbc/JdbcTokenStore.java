package io.ory4j.oauth2.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.json.OryJson;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.spi.TokenStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenStore} on table {@code ory4j_oauth2_token}. {@link #deactivate} is one conditional
 * {@code UPDATE ... WHERE active}, so of two concurrent redemptions exactly one sees a changed row.
 */
public final class JdbcTokenStore implements TokenStore {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final String COLUMNS = "kind, signature, request_id, client_id, subject, scopes, audience, "
      + "requested_at, expires_at, active, data";

  private final Jdbc jdbc;
  private final OryJson json = OryJson.create();
  private final RowMapper<TokenSession> mapper;

  public JdbcTokenStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.mapper = r -> new TokenSession(r.requireString("signature"), TokenKind.valueOf(r.requireString("kind")),
        r.requireString("request_id"), new ClientId(r.requireString("client_id")), r.string("subject"),
        json.read(bytes(r.requireString("scopes")), STRINGS), json.read(bytes(r.requireString("audience")), STRINGS),
        r.requireInstant("requested_at"), r.requireInstant("expires_at"), r.bool("active"),
        json.read(bytes(r.requireString("data")), MAP));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void create(TokenSession s) {
    jdbc.update("INSERT INTO ory4j_oauth2_token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", s.kind(),
        s.signature(), s.requestId(), s.clientId().value(), s.subject(), json.write(s.scopes()),
        json.write(s.audience()), s.requestedAt(), s.expiresAt(), s.active(), json.write(s.data()));
  }

  @Override
  public Optional<TokenSession> find(TokenKind kind, String signature) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM ory4j_oauth2_token WHERE kind = ? AND signature = ?", mapper,
        kind, signature);
  }

  @Override
  public boolean deactivate(TokenKind kind, String signature) {
    return jdbc.update("UPDATE ory4j_oauth2_token SET active = ? WHERE kind = ? AND signature = ? AND active = ?",
        false, kind, signature, true) == 1;
  }

  @Override
  public int revokeRequest(String requestId) {
    return jdbc.update("UPDATE ory4j_oauth2_token SET active = ? WHERE request_id = ? AND active = ?", false,
        requestId, true);
  }

  @Override
  public int deleteByClient(ClientId clientId) {
    return jdbc.update("DELETE FROM ory4j_oauth2_token WHERE client_id = ?", clientId.value());
  }

  @Override
  public int revokeSubject(String subject, @Nullable ClientId clientId) {
    return clientId == null
        ? jdbc.update("UPDATE ory4j_oauth2_token SET active = ? WHERE subject = ? AND active = ?", false, subject, true)
        : jdbc.update("UPDATE ory4j_oauth2_token SET active = ? WHERE subject = ? AND client_id = ? AND active = ?",
            false, subject, clientId.value(), true);
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbc.update("DELETE FROM ory4j_oauth2_token WHERE expires_at < ?", before);
  }
}
