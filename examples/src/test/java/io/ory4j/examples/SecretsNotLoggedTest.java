package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything the example server logs during a full run (registration, login, whoami, an authorization code flow with
 * PKCE, refresh, introspection, userinfo, revocation, RP-initiated logout with an {@code id_token_hint}, and refused
 * requests) is captured, and no secret of that run appears in it: the system secret, passwords, client secrets,
 * session tokens, CSRF tokens, authorization codes and verifiers, access, refresh and ID tokens, challenges.
 */
class SecretsNotLoggedTest {

  private static final String SYSTEM_SECRET = "system-secret-that-must-never-be-logged-0123";
  private static final String PASSWORD = "correct horse staple battery";

  @TempDir
  Path data;

  private final TestBrowser browser = new TestBrowser();
  private final OryJson json = OryJson.create();
  private final List<String> secrets = new ArrayList<>(List.of(SYSTEM_SECRET, PASSWORD));

  private JsonNode post(URI url, String contentType, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Content-Type", contentType)
        .POST(BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> r = browser.send(b);
    assertTrue(r.statusCode() < 500, r.statusCode() + " " + r.body());
    return r.body().isBlank() ? json.readTree("{}") : json.readTree(r.body());
  }

  private static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((TestBrowser.enc(id) + ":" + TestBrowser.enc(secret))
        .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void fullRunWhenLogsCapturedThenNoSecretOfTheRunAppearsInThem() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(tee(captured, out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(tee(captured, err), true, StandardCharsets.UTF_8));
    try {
      run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertTrue(logs.contains("POST /oauth2/token"), "the capture holds the request log: " + logs.length());
    assertTrue(logs.contains("GET /oauth2/sessions/logout"), "the logout request was logged");
    for (String secret : secrets) {
      assertFalse(secret.isBlank(), "every secret of the run was collected");
      assertFalse(logs.contains(secret), "a secret of the run is in the logs: " + secret.substring(0, 6) + "...");
    }
  }

  private void run() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SECRETS_SYSTEM", SYSTEM_SECRET)).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      URI pub = s.publicUrl();
      URI admin = s.adminUrl();

      // Kratos: native registration and login, whoami, a wrong password
      JsonNode flow = json.readTree(browser.send(HttpRequest.newBuilder(pub.resolve(
          "/self-service/registration/api"))).body());
      JsonNode reg = post(pub.resolve("/self-service/registration?flow=" + flow.get("id").asText()),
          "application/json", "{\"method\":\"password\",\"password\":\"" + PASSWORD + "\",\"traits\":{\"email\":"
              + "\"ada@example.com\"}}");
      secrets.add(reg.get("session_token").asText());
      JsonNode login = json.readTree(browser.send(HttpRequest.newBuilder(pub.resolve("/self-service/login/api")))
          .body());
      post(pub.resolve("/self-service/login?flow=" + login.get("id").asText()), "application/json",
          "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"wrong " + PASSWORD + "\"}");
      JsonNode again = json.readTree(browser.send(HttpRequest.newBuilder(pub.resolve("/self-service/login/api")))
          .body());
      JsonNode session = post(pub.resolve("/self-service/login?flow=" + again.get("id").asText()), "application/json",
          "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}");
      String sessionToken = session.get("session_token").asText();
      secrets.add(sessionToken);
      assertEquals(200, browser.send(HttpRequest.newBuilder(pub.resolve("/sessions/whoami"))
          .header("X-Session-Token", sessionToken)).statusCode());

      // Hydra: a confidential client, the code flow with PKCE through the example's login and consent pages
      JsonNode client = post(admin.resolve("/admin/clients"), "application/json", "{\"client_name\":\"Logged app\","
          + "\"redirect_uris\":[\"http://127.0.0.1:9/cb\"],\"grant_types\":[\"authorization_code\",\"refresh_token\"],"
          + "\"response_types\":[\"code\"],\"scope\":\"openid offline posts.write\","
          + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
      String clientId = client.get("client_id").asText();
      String clientSecret = client.get("client_secret").asText();
      secrets.add(clientSecret);
      String verifier = "a-pkce-verifier-that-must-stay-out-of-the-logs-0123456789";
      secrets.add(verifier);
      String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      HttpResponse<String> auth = browser.send(HttpRequest.newBuilder(pub.resolve("/oauth2/auth?response_type=code"
          + "&client_id=" + TestBrowser.enc(clientId) + "&redirect_uri=" + TestBrowser.enc("http://127.0.0.1:9/cb")
          + "&scope=" + TestBrowser.enc("openid offline posts.write") + "&state=state-0123456789"
          + "&nonce=nonce-0123456789&code_challenge=" + challenge + "&code_challenge_method=S256")));
      String toLogin = auth.headers().firstValue("Location").orElseThrow();
      String loginChallenge = java.net.URLDecoder.decode(toLogin.replaceAll(".*[?&]login_challenge=([^&]+).*", "$1"),
          StandardCharsets.UTF_8);
      secrets.add(loginChallenge);
      // the login challenge goes through ory-identity's login flow (return_to) and back
      HttpResponse<String> loginPage = browser.open(pub.resolve(toLogin));
      secrets.add(TestBrowser.field(loginPage.body(), "csrf_token"));
      HttpResponse<String> consentPage = browser.signIn(loginPage, "ada@example.com", PASSWORD);
      String consentChallenge = TestBrowser.field(consentPage.body(), "challenge");
      secrets.add(consentChallenge);
      HttpResponse<String> allowed = browser.send(HttpRequest.newBuilder(pub.resolve("/ui/consent"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("challenge="
              + TestBrowser.enc(consentChallenge) + "&csrf_token="
              + TestBrowser.enc(TestBrowser.field(consentPage.body(), "csrf_token")) + "&decision=allow")));
      String callback = browser.follow(pub, allowed).headers().firstValue("Location").orElseThrow();
      String code = callback.replaceAll(".*[?&]code=([^&]+).*", "$1");
      secrets.add(code);

      JsonNode tokens = post(pub.resolve("/oauth2/token"), "application/x-www-form-urlencoded",
          "grant_type=authorization_code&code=" + code + "&redirect_uri=" + TestBrowser.enc("http://127.0.0.1:9/cb")
              + "&code_verifier=" + verifier, "Authorization", basic(clientId, clientSecret));
      String accessToken = tokens.get("access_token").asText();
      secrets.add(accessToken);
      secrets.add(tokens.get("refresh_token").asText());
      String idToken = tokens.get("id_token").asText();
      secrets.add(idToken);
      JsonNode refreshed = post(pub.resolve("/oauth2/token"), "application/x-www-form-urlencoded",
          "grant_type=refresh_token&refresh_token=" + tokens.get("refresh_token").asText(),
          "Authorization", basic(clientId, clientSecret));
      secrets.add(refreshed.get("access_token").asText());
      secrets.add(refreshed.get("refresh_token").asText());
      assertTrue(post(admin.resolve("/admin/oauth2/introspect"), "application/x-www-form-urlencoded",
          "token=" + refreshed.get("access_token").asText()).get("active").asBoolean());
      assertEquals(200, browser.send(HttpRequest.newBuilder(pub.resolve("/userinfo"))
          .header("Authorization", "Bearer " + refreshed.get("access_token").asText())).statusCode());
      post(pub.resolve("/oauth2/revoke"), "application/x-www-form-urlencoded",
          "token=" + refreshed.get("access_token").asText(), "Authorization", basic(clientId, clientSecret));
      // a replayed refresh token (which revokes the chain) and a wrong client secret: the error paths log too
      post(pub.resolve("/oauth2/token"), "application/x-www-form-urlencoded", "grant_type=refresh_token"
          + "&refresh_token=" + tokens.get("refresh_token").asText(), "Authorization", basic(clientId, clientSecret));
      post(pub.resolve("/oauth2/token"), "application/x-www-form-urlencoded", "grant_type=client_credentials",
          "Authorization", basic(clientId, clientSecret + "-wrong"));
      secrets.add(clientSecret + "-wrong");

      // RP-initiated logout carries the ID token in the query string
      browser.send(HttpRequest.newBuilder(pub.resolve("/oauth2/sessions/logout?id_token_hint=" + idToken
          + "&post_logout_redirect_uri=" + TestBrowser.enc("http://127.0.0.1:9/cb"))));
    }
  }

  private static OutputStream tee(ByteArrayOutputStream a, OutputStream b) {
    return new OutputStream() {
      @Override
      public void write(int c) {
        a.write(c);
        write(b, new byte[] {(byte) c}, 0, 1);
      }

      @Override
      public void write(byte[] buf, int off, int len) {
        a.write(buf, off, len);
        write(b, buf, off, len);
      }

      private void write(OutputStream to, byte[] buf, int off, int len) {
        try {
          to.write(buf, off, len);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }
}
