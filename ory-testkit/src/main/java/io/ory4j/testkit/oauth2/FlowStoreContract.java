package io.ory4j.testkit.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.ConsentGrant;
import io.ory4j.oauth2.spi.ConsentSession;
import io.ory4j.oauth2.spi.Flow;
import io.ory4j.oauth2.spi.FlowState;
import io.ory4j.oauth2.spi.FlowStore;
import io.ory4j.oauth2.spi.FlowStore.FlowKey;
import io.ory4j.oauth2.spi.LoginGrant;
import io.ory4j.oauth2.spi.LoginSession;
import io.ory4j.oauth2.spi.LogoutRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The contract of {@link FlowStore}. Extend it and implement {@link #newStore()} (a fresh, empty store). */
public abstract class FlowStoreContract {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ClientId CLIENT = new ClientId("client-1");

  protected abstract FlowStore newStore();

  private static Flow flow(String id) {
    return new Flow(id, FlowState.LOGIN_INITIALIZED, CLIENT, "https://op.example/oauth2/auth?client_id=client-1",
        List.of("openid"), List.of(), T0, T0.plusSeconds(3600), "csrf-" + id, false, null, null, null, null, false,
        null, null, null);
  }

  private static LoginGrant login() {
    return new LoginGrant("alice", true, 3600, "1", List.of("pwd"), Map.of("k", "v"), T0, null);
  }

  @Test
  void findFlowWhenEachKeySetThenFoundByIt() {
    FlowStore store = newStore();
    Flow f = flow("lc1");
    store.createFlow(f);
    assertEquals(f, store.findFlow(FlowKey.LOGIN_CHALLENGE, "lc1").orElseThrow());
    Flow answered = f.withLogin(login(), "lv1", "sess1");
    assertTrue(store.updateFlow(answered, FlowState.LOGIN_INITIALIZED));
    assertEquals(answered, store.findFlow(FlowKey.LOGIN_VERIFIER, "lv1").orElseThrow());
    Flow consent = answered.withConsentChallenge("cc1", false);
    assertTrue(store.updateFlow(consent, FlowState.LOGIN_UNUSED));
    assertEquals(consent, store.findFlow(FlowKey.CONSENT_CHALLENGE, "cc1").orElseThrow());
    Flow granted = consent.withConsent(new ConsentGrant(List.of("openid"), List.of(), false, 0,
        Map.of("a", 1), Map.of(), T0), "cv1");
    assertTrue(store.updateFlow(granted, FlowState.CONSENT_INITIALIZED));
    assertEquals(granted, store.findFlow(FlowKey.CONSENT_VERIFIER, "cv1").orElseThrow());
    assertTrue(store.findFlow(FlowKey.CONSENT_VERIFIER, "nope").isEmpty());
  }

  @Test
  void updateFlowWhenStateMovedOnThenFalse() {
    FlowStore store = newStore();
    Flow f = flow("lc1");
    store.createFlow(f);
    assertTrue(store.updateFlow(f.withLogin(login(), "lv1", null), FlowState.LOGIN_INITIALIZED));
    assertFalse(store.updateFlow(f.withLogin(login(), "lv2", null), FlowState.LOGIN_INITIALIZED));
    assertEquals("lv1", store.findFlow(FlowKey.LOGIN_CHALLENGE, "lc1").orElseThrow().loginVerifier());
  }

  @Test
  void loginSessionsWhenSavedThenFoundAndDeletedBySubject() {
    FlowStore store = newStore();
    LoginSession s = new LoginSession("s1", "alice", T0, true, T0.plusSeconds(60));
    store.saveLoginSession(s);
    store.saveLoginSession(new LoginSession("s2", "alice", T0, false, null));
    assertEquals(s, store.findLoginSession("s1").orElseThrow());
    assertEquals(2, store.deleteLoginSessions("alice"));
    assertTrue(store.findLoginSession("s2").isEmpty());
  }

  @Test
  void consentSessionsWhenSavedThenListedNewestFirstAndRevokedByClient() {
    FlowStore store = newStore();
    ConsentGrant g1 = new ConsentGrant(List.of("openid"), List.of(), true, 0, Map.of(), Map.of("x", "y"), T0);
    ConsentGrant g2 = new ConsentGrant(List.of("offline"), List.of(), false, 0, Map.of(), Map.of(), T0.plusSeconds(5));
    store.saveConsentSession(new ConsentSession("cc1", "alice", CLIENT, "s1", g1, null));
    store.saveConsentSession(new ConsentSession("cc2", "alice", new ClientId("other"), null, g2, T0));
    assertEquals(List.of("cc2", "cc1"),
        store.consentSessions("alice", null).stream().map(ConsentSession::challenge).toList());
    assertEquals(g1, store.consentSessions("alice", CLIENT).get(0).grant());
    assertEquals(1, store.revokeConsentSessions("alice", CLIENT));
    assertEquals(1, store.consentSessions("alice", null).size());
  }

  @Test
  void logoutWhenAcceptedThenFoundByVerifier() {
    FlowStore store = newStore();
    LogoutRequest l = new LogoutRequest("lo1", "alice", "s1", CLIENT, "https://op/logout", "https://app/bye", "st",
        true, null, false, false, false, T0.plusSeconds(60));
    store.saveLogout(l);
    assertEquals(l, store.findLogout("lo1").orElseThrow());
    store.saveLogout(l.accept("v1"));
    assertEquals("lo1", store.findLogoutByVerifier("v1").orElseThrow().challenge());
  }

  @Test
  void deleteExpiredWhenJanitorRunsThenExpiredFlowsAndSessionsGone() {
    FlowStore store = newStore();
    store.createFlow(flow("old"));
    store.saveLoginSession(new LoginSession("gone", "alice", T0, true, T0.plusSeconds(60)));
    store.saveLoginSession(new LoginSession("kept", "alice", T0, true, null));
    assertEquals(2, store.deleteExpired(T0.plusSeconds(7200)));
    assertTrue(store.findFlow(FlowKey.LOGIN_CHALLENGE, "old").isEmpty());
    assertTrue(store.findLoginSession("gone").isEmpty());
    assertTrue(store.findLoginSession("kept").isPresent());
  }
}
