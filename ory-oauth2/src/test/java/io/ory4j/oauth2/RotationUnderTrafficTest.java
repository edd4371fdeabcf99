package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.keys.KeyAlgorithm;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import io.ory4j.oauth2.store.memory.InMemoryClientStore;
import io.ory4j.oauth2.store.memory.InMemoryFlowStore;
import io.ory4j.oauth2.store.memory.InMemoryTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Key and system-secret rotation while traffic runs: four threads issue and introspect opaque and JWT access tokens
 * while the JWT signing key is rotated twice and the processes move to a new system secret (the old one kept for
 * verification, as Hydra's rotation); no request fails, and every token issued before a rotation stays valid after.
 */
class RotationUnderTrafficTest {
  private static final String OLD = "the-old-system-secret-0123456789abcdef";
  private static final String NEW = "the-new-system-secret-0123456789abcdef";

  private final InMemoryClientStore clients = new InMemoryClientStore();
  private final InMemoryFlowStore flows = new InMemoryFlowStore();
  private final InMemoryTokenStore tokens = new InMemoryTokenStore();
  private final InMemoryJwkSetStore jwks = new InMemoryJwkSetStore();

  /** A provider process over the shared stores, as after a (rolling) restart with {@code secrets}. */
  private OAuth2Provider provider(boolean jwt, String... secrets) {
    SystemSecrets s = SystemSecrets.of(secrets);
    return OAuth2Provider.builder().issuer("https://auth.example.com").systemSecrets(s)
        .clientStore(clients).flowStore(flows).tokenStore(tokens)
        .keys(new JwkSetManager(jwks, new SecretCipher(s), Clock.systemUTC(), IdGenerator.randomV4()))
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(jwt).withSigningAlgorithm(KeyAlgorithm.ES256))
        .build();
  }

  @Test
  void rotationWhenTrafficRunsThenNoRequestFailsAndEarlierTokensStayValid() throws Exception {
    AtomicReference<OAuth2Provider> opaque = new AtomicReference<>(provider(false, OLD));
    AtomicReference<OAuth2Provider> jwt = new AtomicReference<>(provider(true, OLD));
    CreatedClient c = opaque.get().createClient(OAuth2Client.builder().grantTypes("client_credentials")
        .scope("read").build());
    Queue<String> issued = new ConcurrentLinkedQueue<>();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger requests = new AtomicInteger();
    int perThread = 250;
    List<Thread> traffic = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      boolean useJwt = t % 2 == 1;
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          try {
            OAuth2Provider p = (useJwt ? jwt : opaque).get();
            String token = p.clientCredentials(c.client().id(), c.secret(), List.of("read"), List.of()).accessToken();
            issued.add(token);
            String earlier = issued.peek();
            if (!p.introspect(token).active() || !p.introspect(earlier).active()) {
              failures.add("inactive token at request " + requests.get());
            }
          } catch (RuntimeException e) {
            failures.add(e.toString());
          }
          requests.incrementAndGet();
        }
      });
      traffic.add(th);
      th.start();
    }
    int total = 4 * perThread;
    awaitRequests(requests, total / 5);
    jwt.get().keys().rotate(OAuth2Provider.ACCESS_TOKEN_SET);
    awaitRequests(requests, 2 * total / 5);
    // a rolling restart onto a new system secret, the old one kept to read what it protected
    opaque.set(provider(false, NEW, OLD));
    jwt.set(provider(true, NEW, OLD));
    awaitRequests(requests, 3 * total / 5);
    jwt.get().keys().rotate(OAuth2Provider.ACCESS_TOKEN_SET);
    for (Thread th : traffic) {
      th.join();
    }

    assertEquals(List.of(), List.copyOf(failures), "no request failed while keys and secrets rotated");
    assertEquals(total, issued.size());
    for (String token : issued) {
      OAuth2Provider p = token.startsWith("ory_at_") ? opaque.get() : jwt.get();
      assertTrue(p.introspect(token).active(), "still valid after every rotation: " + token.substring(0, 12));
    }
  }

  /** Waits (spinning, bounded) until the traffic has made {@code n} requests. */
  private static void awaitRequests(AtomicInteger requests, int n) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (requests.get() < n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }
}
