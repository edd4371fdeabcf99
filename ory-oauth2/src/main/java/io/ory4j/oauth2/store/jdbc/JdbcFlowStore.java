package io.ory4j.oauth2.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.json.OryJson;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.ConsentSession;
import io.ory4j.oauth2.spi.Flow;
import io.ory4j.oauth2.spi.FlowState;
import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.spi.LoginSession;
import io.ory4j.oauth2.spi.LogoutRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@link FlowStore} on the flow, login session, consent session and logout tables. A flow update is one
 * {@code UPDATE ... WHERE state = ?}, so two answers to one challenge cannot both win.
 */
public final class JdbcFlowStore implements FlowStore {

  private final Jdbc jdbc;
  private final OryJson json = OryJson.create();

  public JdbcFlowStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void createFlow(Flow f) {
    jdbc.update("INSERT INTO ory4j_oauth2_flow (id, state, login_verifier, consent_challenge, consent_verifier, "
        + "expires_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)", f.id(), f.state(), f.loginVerifier(),
        f.consentChallenge(), f.consentVerifier(), f.expiresAt(), json.write(f));
  }

  @Override
  public Optional<Flow> findFlow(FlowKey key, String value) {
    String column = switch (key) {
      case LOGIN_CHALLENGE -> "id";
      case LOGIN_VERIFIER -> "login_verifier";
      case CONSENT_CHALLENGE -> "consent_challenge";
      case CONSENT_VERIFIER -> "consent_verifier";
    };
    return jdbc.queryOne("SELECT data FROM ory4j_oauth2_flow WHERE " + column + " = ?",
        r -> stored(r.requireString("data"), Flow.class), value);
  }

  @Override
  public boolean updateFlow(Flow f, FlowState expected) {
    return jdbc.update("UPDATE ory4j_oauth2_flow SET state = ?, login_verifier = ?, consent_challenge = ?, "
        + "consent_verifier = ?, data = ? WHERE id = ? AND state = ?", f.state(), f.loginVerifier(),
        f.consentChallenge(), f.consentVerifier(), json.write(f), f.id(), expected) == 1;
  }

  @Override
  public void saveLoginSession(LoginSession s) {
    jdbc.inTransaction(tx -> {
      tx.update("DELETE FROM ory4j_oauth2_login_session WHERE id = ?", s.id());
      return tx.update("INSERT INTO ory4j_oauth2_login_session (id, subject, authenticated_at, remember, expires_at) "
          + "VALUES (?, ?, ?, ?, ?)", s.id(), s.subject(), s.authenticatedAt(), s.remember(), s.expiresAt());
    });
  }

  @Override
  public Optional<LoginSession> findLoginSession(String id) {
    return jdbc.queryOne("SELECT id, subject, authenticated_at, remember, expires_at FROM ory4j_oauth2_login_session "
        + "WHERE id = ?", r -> new LoginSession(r.requireString("id"), r.requireString("subject"),
            r.requireInstant("authenticated_at"), r.bool("remember"), r.instant("expires_at")), id);
  }

  @Override
  public boolean deleteLoginSession(String id) {
    return jdbc.update("DELETE FROM ory4j_oauth2_login_session WHERE id = ?", id) > 0;
  }

  @Override
  public int deleteLoginSessions(String subject) {
    return jdbc.update("DELETE FROM ory4j_oauth2_login_session WHERE subject = ?", subject);
  }

  @Override
  public void saveConsentSession(ConsentSession s) {
    jdbc.inTransaction(tx -> {
      tx.update("DELETE FROM ory4j_oauth2_consent_session WHERE challenge = ?", s.challenge());
      return tx.update("INSERT INTO ory4j_oauth2_consent_session (challenge, subject, client_id, handled_at, data) "
          + "VALUES (?, ?, ?, ?, ?)", s.challenge(), s.subject(), s.clientId().value(), s.grant().handledAt(),
          json.write(s));
    });
  }

  @Override
  public List<ConsentSession> consentSessions(String subject, @Nullable ClientId clientId) {
    String order = " ORDER BY handled_at DESC, challenge";
    return clientId == null
        ? jdbc.query("SELECT data FROM ory4j_oauth2_consent_session WHERE subject = ?" + order,
            r -> stored(r.requireString("data"), ConsentSession.class), subject)
        : jdbc.query("SELECT data FROM ory4j_oauth2_consent_session WHERE subject = ? AND client_id = ?" + order,
            r -> stored(r.requireString("data"), ConsentSession.class), subject, clientId.value());
  }

  @Override
  public int revokeConsentSessions(String subject, @Nullable ClientId clientId) {
    return clientId == null
        ? jdbc.update("DELETE FROM ory4j_oauth2_consent_session WHERE subject = ?", subject)
        : jdbc.update("DELETE FROM ory4j_oauth2_consent_session WHERE subject = ? AND client_id = ?", subject,
            clientId.value());
  }

  @Override
  public void saveLogout(LogoutRequest l) {
    jdbc.inTransaction(tx -> {
      tx.update("DELETE FROM ory4j_oauth2_logout WHERE challenge = ?", l.challenge());
      return tx.update("INSERT INTO ory4j_oauth2_logout (challenge, verifier, expires_at, data) VALUES (?, ?, ?, ?)",
          l.challenge(), l.verifier(), l.expiresAt(), json.write(l));
    });
  }

  @Override
  public Optional<LogoutRequest> findLogout(String challenge) {
    return jdbc.queryOne("SELECT data FROM ory4j_oauth2_logout WHERE challenge = ?",
        r -> stored(r.requireString("data"), LogoutRequest.class), challenge);
  }

  @Override
  public Optional<LogoutRequest> findLogoutByVerifier(String verifier) {
    return jdbc.queryOne("SELECT data FROM ory4j_oauth2_logout WHERE verifier = ?",
        r -> stored(r.requireString("data"), LogoutRequest.class), verifier);
  }

  @Override
  public int deleteExpired(Instant before) {
    return jdbc.inTransaction(tx -> tx.update("DELETE FROM ory4j_oauth2_flow WHERE expires_at < ?", before)
        + tx.update("DELETE FROM ory4j_oauth2_logout WHERE expires_at < ?", before)
        + tx.update("DELETE FROM ory4j_oauth2_login_session WHERE expires_at < ?", before));
  }

  /**
   * A stored record, read leniently: a row written before a record component existed (a new boolean, say) takes the
   * component's default instead of failing the read.
   */
  private static <T> T stored(String data, Class<T> type) {
    return io.ory4j.oauth2.internal.LenientJson.read(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
  }
}
