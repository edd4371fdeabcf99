package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart of the example server (the default H2 file database, the system secret from the environment): what was
 * issued before it still holds after it, in every engine: the OAuth 2.0 client and its access and refresh tokens, the
 * Kratos session, the relation tuple and the ACP policy.
 */
class RestartTest {

  @TempDir
  Path data;

  private final HttpClient http = HttpClient.newHttpClient();
  private final OryJson json = OryJson.create();

  private OryConfig config() {
    return OryConfig.builder().environment(Map.of("DSN", "h2:file:" + data.resolve("db"), "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SECRETS_SYSTEM", "restart-test-system-secret-0123456789")).build();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postForm(URI url, String body, String basic) throws Exception {
    return send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", basic).POST(BodyPublishers.ofString(body)));
  }

  @Test
  void restartWhenEverythingWasIssuedBeforeThenItStillHolds() throws Exception {
    String basic;
    String accessToken;
    String sessionToken;
    try (ExampleServer s = ExampleServer.start(config())) {
      JsonNode client = json.readTree(send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/clients"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"grant_types\":"
              + "[\"client_credentials\"],\"scope\":\"read\"}"))).body());
      basic = "Basic " + Base64.getEncoder().encodeToString((client.get("client_id").asText() + ":"
          + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
      accessToken = json.readTree(postForm(s.publicUrl().resolve("/oauth2/token"),
          "grant_type=client_credentials&scope=read", basic).body()).get("access_token").asText();
      JsonNode flow = json.readTree(send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/registration/api"))).body());
      sessionToken = json.readTree(send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/registration?flow=" + flow.get("id").asText())).header("Content-Type", "application/json")
          .POST(BodyPublishers.ofString("{\"method\":\"password\",\"password\":\"correct horse staple battery\","
              + "\"traits\":{\"email\":\"kept@example.com\"}}"))).body()).get("session_token").asText();
      assertEquals(201, send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/relation-tuples"))
          .header("Content-Type", "application/json").PUT(BodyPublishers.ofString("{\"namespace\":\"blog\","
              + "\"object\":\"post-1\",\"relation\":\"owner\",\"subject_id\":\"alice\"}"))).statusCode());
      assertEquals(200, send(HttpRequest.newBuilder(s.adminUrl().resolve("/engines/acp/ory/exact/policies"))
          .header("Content-Type", "application/json").PUT(BodyPublishers.ofString("{\"id\":\"kept\",\"subjects\":"
              + "[\"bob\"],\"resources\":[\"blog:posts:1\"],\"actions\":[\"delete\"],\"effect\":\"allow\"}")))
          .statusCode());
    }

    try (ExampleServer s = ExampleServer.start(config())) {
      HttpResponse<String> introspected = postForm(s.adminUrl().resolve("/admin/oauth2/introspect"),
          "token=" + accessToken, basic);
      assertTrue(introspected.body().contains("\"active\":true"), "the access token: " + introspected.body());
      assertEquals(200, postForm(s.publicUrl().resolve("/oauth2/token"), "grant_type=client_credentials&scope=read",
          basic).statusCode(), "the client and its hashed secret");
      HttpResponse<String> whoami = send(HttpRequest.newBuilder(s.publicUrl().resolve("/sessions/whoami"))
          .header("X-Session-Token", sessionToken));
      assertEquals(200, whoami.statusCode(), "the Kratos session: " + whoami.body());
      assertTrue(send(HttpRequest.newBuilder(s.publicUrl().resolve("/relation-tuples/check?namespace=blog"
          + "&object=post-1&relation=delete&subject_id=alice"))).body().contains("\"allowed\":true"));
      HttpResponse<String> allowed = send(HttpRequest.newBuilder(s.adminUrl().resolve(
          "/engines/acp/ory/exact/allowed")).header("Content-Type", "application/json").POST(BodyPublishers.ofString(
          "{\"subject\":\"bob\",\"resource\":\"blog:posts:1\",\"action\":\"delete\"}")));
      assertTrue(allowed.body().contains("\"allowed\":true"), "the ACP policy: " + allowed.body());
    }
  }
}
