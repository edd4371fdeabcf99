package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Hydra-with-Kratos picture on the example server: a third-party client runs the authorization code flow
 * with PKCE, the example's login page signs the user in with an ory-identity account, the consent page grants the
 * scopes, and the code is exchanged and the token introspected.
 */
class OAuth2LoginConsentFlowTest {

  @TempDir
  Path data;

  private final TestBrowser browser = new TestBrowser();
  private final OryJson json = OryJson.create();

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return browser.send(b);
  }

  private HttpResponse<String> follow(URI base, HttpResponse<String> r) throws Exception {
    return browser.follow(base, r);
  }

  private static String enc(String s) {
    return TestBrowser.enc(s);
  }

  private static String field(String html, String name) {
    return TestBrowser.field(html, name);
  }

  @Test
  void authorizationCodeWithPkceWhenUserSignsInAndConsentsThenTokenForTheIdentity() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "h2:file:" + data.resolve("db"),
        "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4"))
        .build();
    try (ExampleServer s = ExampleServer.start(config)) {
      URI pub = s.publicUrl();
      URI admin = s.adminUrl();
      HttpResponse<String> created = send(HttpRequest.newBuilder(admin.resolve("/admin/clients"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"client_name\":\"Blog app\","
              + "\"redirect_uris\":[\"http://127.0.0.1:9/cb\"],\"grant_types\":[\"authorization_code\","
              + "\"refresh_token\"],\"response_types\":[\"code\"],\"scope\":\"openid offline posts.write\","
              + "\"token_endpoint_auth_method\":\"client_secret_basic\"}")));
      assertEquals(201, created.statusCode(), created.body());
      JsonNode c = json.readTree(created.body());
      String clientId = c.get("client_id").asText();
      String secret = c.get("client_secret").asText();
      HttpResponse<String> identity = send(HttpRequest.newBuilder(admin.resolve("/admin/identities"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":"
              + "\"ada@example.com\"},\"credentials\":{\"password\":{\"config\":{\"password\":\"correct horse staple\"}}}}")));
      assertEquals(201, identity.statusCode(), identity.body());
      String identityId = json.readTree(identity.body()).get("id").asText();

      String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";
      String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
      HttpResponse<String> auth = send(HttpRequest.newBuilder(pub.resolve("/oauth2/auth?response_type=code&client_id="
          + enc(clientId) + "&redirect_uri=" + enc("http://127.0.0.1:9/cb") + "&scope=" + enc("openid posts.write")
          + "&state=state-123456789&nonce=nonce-123456789&code_challenge=" + challenge
          + "&code_challenge_method=S256")));
      // the login challenge sends the browser through ory-identity's login flow, rendered by the example's /login
      HttpResponse<String> loginPage = browser.open(pub.resolve(auth.headers().firstValue("Location").orElseThrow()));
      assertEquals(200, loginPage.statusCode(), loginPage.body());
      assertTrue(loginPage.body().contains("Sign in"), loginPage.body());
      assertEquals("DENY", loginPage.headers().firstValue("X-Frame-Options").orElseThrow());

      HttpResponse<String> wrong = browser.signIn(loginPage, "ada@example.com", "wrong");
      assertEquals(200, wrong.statusCode());
      assertTrue(wrong.body().contains("The provided credentials are invalid"), wrong.body());

      HttpResponse<String> consentPage = browser.signIn(wrong, "ada@example.com", "correct horse staple");
      assertEquals(200, consentPage.statusCode(), consentPage.body());
      assertTrue(consentPage.body().contains("Blog app"), consentPage.body());
      assertTrue(consentPage.body().contains("posts.write"));

      HttpResponse<String> allowed = send(HttpRequest.newBuilder(pub.resolve("/ui/consent"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString("challenge="
              + enc(field(consentPage.body(), "challenge")) + "&csrf_token="
              + enc(field(consentPage.body(), "csrf_token")) + "&decision=allow")));
      HttpResponse<String> back = follow(pub, allowed);
      String callback = back.headers().firstValue("Location").orElseThrow(() -> new AssertionError(back.body()));
      assertTrue(callback.startsWith("http://127.0.0.1:9/cb?code="), callback);
      assertTrue(callback.contains("state=state-123456789"));
      String code = callback.replaceAll(".*[?&]code=([^&]+).*", "$1");

      HttpResponse<String> token = send(HttpRequest.newBuilder(pub.resolve("/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret))
              .getBytes(StandardCharsets.UTF_8)))
          .POST(BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&redirect_uri="
              + enc("http://127.0.0.1:9/cb") + "&code_verifier=" + verifier)));
      assertEquals(200, token.statusCode(), token.body());
      JsonNode t = json.readTree(token.body());
      assertTrue(t.get("access_token").asText().startsWith("ory_at_"));
      assertTrue(t.has("id_token"));

      HttpResponse<String> info = send(HttpRequest.newBuilder(admin.resolve("/admin/oauth2/introspect"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(BodyPublishers.ofString("token=" + t.get("access_token").asText())));
      JsonNode i = json.readTree(info.body());
      assertTrue(i.get("active").asBoolean(), info.body());
      assertEquals(identityId, i.get("sub").asText());
      assertEquals(clientId, i.get("client_id").asText());

      HttpResponse<String> replay = send(HttpRequest.newBuilder(pub.resolve("/oauth2/token"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(secret))
              .getBytes(StandardCharsets.UTF_8)))
          .POST(BodyPublishers.ofString("grant_type=authorization_code&code=" + code + "&redirect_uri="
              + enc("http://127.0.0.1:9/cb") + "&code_verifier=" + verifier)));
      assertEquals(400, replay.statusCode());
      assertEquals("invalid_grant", json.readTree(replay.body()).get("error").asText());
    }
  }
}
