package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.spi.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of {@link TokenStore}. Extend it and implement {@link #newStore()} (a fresh, empty store). */
public abstract class TokenStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ClientId CLIENT = new ClientId("client-1");

  protected abstract TokenStore newStore();

  private static TokenSession session(TokenKind kind, String sig, String request, String subject, Instant expires) {
    return new TokenSession(sig, kind, request, CLIENT, subject, List.of("openid", "offline"),
        List.of("https://api.example"), T0, expires, true, Map.of("nonce", "n-1", "ext", Map.of("tier", "gold")));
  }

  @Test
  void findWhenCreatedThenEveryFieldRoundTripsByKind() {
    TokenStore store = newStore();
    TokenSession s = session(TokenKind.ACCESS_TOKEN, "sig1", "req1", "alice", T0.plusSeconds(3600));
    store.create(s);
    assertEquals(s, store.find(TokenKind.ACCESS_TOKEN, "sig1").orElseThrow());
    assertTrue(store.find(TokenKind.REFRESH_TOKEN, "sig1").isEmpty());
  }

  @Test
  void createWhenSignatureExistsThenDuplicate() {
    TokenStore store = newStore();
    store.create(session(TokenKind.AUTHORIZE_CODE, "sig1", "req1", "alice", T0));
    assertThrows(DuplicateException.class,
        () -> store.create(session(TokenKind.AUTHORIZE_CODE, "sig1", "req2", "bob", T0)));
  }

  @Test
  void deactivateWhenCalledTwiceThenOnlyFirstWins() {
    TokenStore store = newStore();
    store.create(session(TokenKind.AUTHORIZE_CODE, "code", "req1", "alice", T0));
    assertTrue(store.deactivate(TokenKind.AUTHORIZE_CODE, "code"));
    assertFalse(store.deactivate(TokenKind.AUTHORIZE_CODE, "code"));
    assertFalse(store.find(TokenKind.AUTHORIZE_CODE, "code").orElseThrow().active());
    assertFalse(store.deactivate(TokenKind.AUTHORIZE_CODE, "missing"));
  }

  @Test
  void deactivateWhenRacedThenExactlyOneWins() throws Exception {
    TokenStore store = newStore();
    store.create(session(TokenKind.AUTHORIZE_CODE, "code", "req1", "alice", T0));
    assertEquals(1, Race.wins(4, () -> store.deactivate(TokenKind.AUTHORIZE_CODE, "code")));
  }

  @Test
  void revokeRequestWhenGrantIssuedSeveralTokensThenAllInactive() {
    TokenStore store = newStore();
    store.create(session(TokenKind.AUTHORIZE_CODE, "c", "req1", "alice", T0));
    store.create(session(TokenKind.ACCESS_TOKEN, "a", "req1", "alice", T0));
    store.create(session(TokenKind.REFRESH_TOKEN, "r", "req1", "alice", T0));
    store.create(session(TokenKind.ACCESS_TOKEN, "other", "req2", "alice", T0));
    assertEquals(3, store.revokeRequest("req1"));
    assertFalse(store.find(TokenKind.ACCESS_TOKEN, "a").orElseThrow().active());
    assertFalse(store.find(TokenKind.REFRESH_TOKEN, "r").orElseThrow().active());
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "other").orElseThrow().active());
  }

  @Test
  void revokeSubjectWhenClientGivenThenOnlyThatClient() {
    TokenStore store = newStore();
    store.create(session(TokenKind.ACCESS_TOKEN, "a", "req1", "alice", T0));
    store.create(new TokenSession("b", TokenKind.ACCESS_TOKEN, "req2", new ClientId("other"), "alice", List.of(),
        List.of(), T0, T0, true, Map.of()));
    store.create(session(TokenKind.ACCESS_TOKEN, "c", "req3", "bob", T0));
    assertEquals(1, store.revokeSubject("alice", CLIENT));
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "b").orElseThrow().active());
    assertEquals(1, store.revokeSubject("alice", null));
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "c").orElseThrow().active());
  }

  @Test
  void deleteByClientWhenTokensExistThenOnlyThatClientsGone() {
    TokenStore store = newStore();
    store.create(session(TokenKind.ACCESS_TOKEN, "a", "req1", "alice", T0));
    store.create(new TokenSession("b", TokenKind.ACCESS_TOKEN, "req2", new ClientId("other"), null, List.of(),
        List.of(), T0, T0, true, Map.of()));
    assertEquals(1, store.deleteByClient(CLIENT));
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "a").isEmpty());
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "b").isPresent());
  }

  @Test
  void deleteExpiredWhenJanitorRunsThenOnlyExpiredGone() {
    TokenStore store = newStore();
    store.create(session(TokenKind.ACCESS_TOKEN, "old", "req1", "alice", T0));
    store.create(session(TokenKind.ACCESS_TOKEN, "new", "req2", "alice", T0.plus(Duration.ofHours(2))));
    assertEquals(1, store.deleteExpired(T0.plusSeconds(60)));
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "old").isEmpty());
    assertTrue(store.find(TokenKind.ACCESS_TOKEN, "new").isPresent());
  }
}
