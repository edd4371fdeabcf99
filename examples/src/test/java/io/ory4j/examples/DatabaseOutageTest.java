package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The database goes away under the running example server (every pooled connection cut, the port closed) and comes
 * back: meanwhile each API answers 503 in its own error format (OAuth 2.0 JSON on the token endpoint, Ory's error JSON
 * on Kratos' and the admin APIs), readiness says not ready, a registration writes nothing; afterwards the same server
 * serves again with no restart, and the refused registration can be made.
 */
class DatabaseOutageTest {

  @TempDir
  Path data;

  private final HttpClient http = HttpClient.newHttpClient();
  private final OryJson json = OryJson.create();

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabase.class, names = {"POSTGRES", "MARIADB"})
  void outageWhenDatabaseGoesAwayThen503sAndRecoveryWithoutRestart(TestDatabase kind) throws Exception {
    try (EphemeralDatabase db = kind.open()) {
      URI server = URI.create(System.getenv(kind.envVar()).substring("jdbc:".length()));
      try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
        String jdbc = "jdbc:" + server.getScheme() + "://127.0.0.1:" + proxy.port() + "/" + db.name()
            + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
        OryConfig config = OryConfig.builder().environment(Map.of("DSN", jdbc, "SERVE_PUBLIC_PORT", "0",
            "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
        try (ExampleServer s = ExampleServer.start(config)) {
          URI pub = s.publicUrl();
          URI admin = s.adminUrl();
          JsonNode client = json.readTree(send(HttpRequest.newBuilder(admin.resolve("/admin/clients"))
              .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"grant_types\":"
                  + "[\"client_credentials\"],\"scope\":\"read\"}"))).body());
          HttpRequest.Builder token = HttpRequest.newBuilder(pub.resolve("/oauth2/token"))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client.get("client_id")
                  .asText() + ":" + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8)))
              .POST(BodyPublishers.ofString("grant_type=client_credentials&scope=read"));
          assertEquals(200, send(token).statusCode());

          proxy.cut();

          HttpResponse<String> refused = send(token);
          assertEquals(503, refused.statusCode(), refused.body());
          assertEquals("temporarily_unavailable", json.readTree(refused.body()).get("error").asText(),
              "the token endpoint answers in OAuth 2.0's format: " + refused.body());
          HttpResponse<String> identity = send(HttpRequest.newBuilder(admin.resolve("/admin/identities"))
              .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":"
                  + "\"during@example.com\"}}")));
          assertEquals(503, identity.statusCode(), identity.body());
          assertEquals(503, json.readTree(identity.body()).get("error").get("code").asInt(),
              "the identity API answers in Ory's error format: " + identity.body());
          assertEquals(503, send(HttpRequest.newBuilder(admin.resolve("/health/ready"))).statusCode());

          proxy.resume();

          // the pool drops the connections the outage killed as it meets them, so readiness may take a few tries
          long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
          int ready = 0;
          while (ready != 200 && System.nanoTime() < deadline) {
            ready = send(HttpRequest.newBuilder(admin.resolve("/health/ready"))).statusCode();
          }
          assertEquals(200, ready, "ready again, without a restart");
          assertEquals(200, send(token).statusCode(), "served again, without a restart");
          HttpResponse<String> list = send(HttpRequest.newBuilder(admin.resolve(
              "/admin/identities?credentials_identifier=during@example.com")));
          assertEquals("[]", list.body().trim(), "the refused write left nothing behind");
          assertEquals(201, send(HttpRequest.newBuilder(admin.resolve("/admin/identities"))
              .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":"
                  + "\"during@example.com\"}}"))).statusCode());
          assertTrue(send(HttpRequest.newBuilder(admin.resolve("/admin/identities"))).body()
              .contains("during@example.com"));
        }
      }
    }
  }
}
