package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import io.ory4j.testkit.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key and system-secret rotation of the example server through its HTTP API while traffic runs (issue #11): two
 * clients keep issuing JWT access tokens, verifying each against {@code /.well-known/jwks.json} as a resource server
 * does (fetching the set again for an unknown key id) and introspecting it, while the operator rotates the signing
 * key with {@code POST /admin/keys/hydra.jwt.access-token}, moves to a new system secret by starting a node with
 * {@code SECRETS_SYSTEM=new,old} on the same database and sending the traffic there (a rolling restart behind a load
 * balancer), then rotates the key again on the new node. No request fails, and every token issued before stays valid.
 */
class RotationThroughHttpTest {
  private static final String OLD = "rotation-old-system-secret-0123456789";
  private static final String NEW = "rotation-new-system-secret-0123456789";

  @TempDir
  Path data;

  private final HttpClient http = HttpClient.newHttpClient();
  private final OryJson json = OryJson.create();
  /** The server clock: moved past the signer's one-minute key cache so that a rotation takes effect at once. */
  private final TestClock clock = new TestClock(Instant.now());

  private OryConfig config(String secrets) {
    return OryConfig.builder().environment(Map.of("DSN", "h2:file:" + data.resolve("db"), "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "STRATEGIES_ACCESS_TOKEN", "jwt", "SECRETS_SYSTEM", secrets)).build();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** What the traffic saw: failures (none allowed), key ids, and some tokens to check again at the end. */
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final Set<String> kids = ConcurrentHashMap.newKeySet();
  private final Queue<String> sample = new ConcurrentLinkedQueue<>();
  private final Semaphore done = new Semaphore(0);

  @Test
  void rotationWhenTrafficRunsThroughHttpThenNoRequestFailsAndEarlierTokensStayValid() throws Exception {
    ExampleServer a = ExampleServer.start(config(OLD), clock);
    ExampleServer b = null;
    AtomicReference<ExampleServer> target = new AtomicReference<>(a);
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> traffic = new ArrayList<>();
    try {
      JsonNode client = json.readTree(send(HttpRequest.newBuilder(a.adminUrl().resolve("/admin/clients"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString(
              "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}"))).body());
      String basic = "Basic " + Base64.getEncoder().encodeToString((client.get("client_id").asText() + ":"
          + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
      for (int t = 0; t < 2; t++) {
        Thread th = new Thread(() -> traffic(target, running, basic), "traffic-" + t);
        th.start();
        traffic.add(th);
      }
      awaitRequests(40);
      String first = kidOfNewest(a);

      // 1. rotate the signing key on the running node
      rotate(a);
      awaitRequests(40);

      // 2. a node with the new system secret first (the old one kept to read what it encrypted) takes the traffic
      b = ExampleServer.start(config(NEW + "," + OLD), clock);
      target.set(b);
      awaitRequests(40);
      a.close();
      a = null;

      // 3. rotate again, on the new node (its key encrypted with the new secret)
      rotate(b);
      awaitRequests(40);
      running.set(false);
      for (Thread th : traffic) {
        th.join(TimeUnit.MINUTES.toMillis(2));
      }
      assertTrue(failures.isEmpty(), () -> failures.size() + " requests failed, such as " + failures.peek());
      assertTrue(kids.size() >= 3 && kids.contains(first), "tokens were signed by the first and both rotated keys: "
          + kids);
      for (String token : sample) {
        verify(b, token);
      }
    } finally {
      running.set(false);
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    }
  }

  /** A new ES256 key becomes current in the access-token set; the clock passes the signer's key cache. */
  private void rotate(ExampleServer s) throws Exception {
    HttpResponse<String> created = send(HttpRequest.newBuilder(s.adminUrl().resolve(
        "/admin/keys/hydra.jwt.access-token")).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString("{\"alg\":\"ES256\",\"use\":\"sig\"}")));
    assertEquals(201, created.statusCode(), created.body());
    clock.advance(Duration.ofSeconds(61));
  }

  private String kidOfNewest(ExampleServer s) throws Exception {
    return JWKSet.parse(send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/keys/hydra.jwt.access-token")))
        .body()).getKeys().get(0).getKeyID();
  }

  private void awaitRequests(int n) throws InterruptedException {
    assertTrue(done.tryAcquire(n, 2, TimeUnit.MINUTES), "the traffic went on");
  }

  private void traffic(AtomicReference<ExampleServer> target, AtomicBoolean running, String basic) {
    Map<String, JWK> keys = new ConcurrentHashMap<>();
    int n = 0;
    while (running.get()) {
      ExampleServer s = target.get();
      try {
        HttpResponse<String> issued = send(HttpRequest.newBuilder(s.publicUrl().resolve("/oauth2/token"))
            .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", basic)
            .POST(BodyPublishers.ofString("grant_type=client_credentials&scope=read")));
        if (issued.statusCode() != 200) {
          failures.add("token " + issued.statusCode() + " " + issued.body());
          continue;
        }
        String token = json.readTree(issued.body()).get("access_token").asText();
        kids.add(verifySignature(s, token, keys));
        introspectActive(s, token);
        if (n++ % 10 == 0) {
          sample.add(token);
        }
      } catch (Exception | AssertionError e) {
        failures.add(e.toString());
      } finally {
        done.release();
      }
    }
  }

  /** Verifies as a resource server: the key by its id from the JWKS, fetched again when the id is new. */
  private String verifySignature(ExampleServer s, String token, Map<String, JWK> keys) throws Exception {
    SignedJWT jwt = SignedJWT.parse(token);
    String kid = jwt.getHeader().getKeyID();
    JWK key = keys.get(kid);
    if (key == null) {
      for (JWK k : JWKSet.parse(send(HttpRequest.newBuilder(s.publicUrl().resolve("/.well-known/jwks.json")))
          .body()).getKeys()) {
        keys.put(k.getKeyID(), k);
      }
      key = keys.get(kid);
    }
    if (key == null) {
      throw new AssertionError("the JWKS does not publish key " + kid);
    }
    JWSVerifier v = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), key.getKeyType().getValue()
        .equals("EC") ? key.toECKey().toECPublicKey() : key.toRSAKey().toRSAPublicKey());
    if (!jwt.verify(v)) {
      throw new AssertionError("the signature of a token by key " + kid + " does not verify");
    }
    return kid;
  }

  private void introspectActive(ExampleServer s, String token) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/oauth2/introspect"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("token=" + token)));
    if (!json.readTree(r.body()).path("active").asBoolean()) {
      throw new AssertionError("introspection: " + r.statusCode() + " " + r.body());
    }
  }

  private void verify(ExampleServer s, String token) throws Exception {
    verifySignature(s, token, new ConcurrentHashMap<>());
    introspectActive(s, token);
  }
}
