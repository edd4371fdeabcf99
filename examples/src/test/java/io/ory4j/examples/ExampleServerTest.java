package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.ConfigException;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.keys.KeyAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleServerTest {

  @TempDir
  Path data;

  private final HttpClient client = HttpClient.newHttpClient();

  private OryConfig config(String dsn) {
    return OryConfig.builder().environment(Map.of("DSN", dsn, "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT", "0",
        "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
  }

  @Test
  void identitiesWhenRegisteredOnPublicThenWhoamiAndAdminListSeeThem() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("h2:file:" + data.resolve("kratos")))) {
      var json = io.ory4j.core.json.OryJson.create();
      var flow = json.readTree(client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/registration/api")).build(), HttpResponse.BodyHandlers.ofString()).body());
      HttpResponse<String> reg = client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/registration?flow=" + flow.get("id").asText())).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"password\",\"password\":\"correct horse staple\","
              + "\"traits\":{\"email\":\"ada@example.com\"}}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, reg.statusCode(), reg.body());
      String token = json.readTree(reg.body()).get("session_token").asText();
      assertEquals(200, client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/sessions/whoami"))
          .header("X-Session-Token", token).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
      HttpResponse<String> list = client.send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/identities"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(1, json.readTree(list.body()).size());
      assertEquals(404, get(s.publicUrl().resolve("/admin/identities")));
    }
  }

  private int get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void startWhenEmbeddedH2ThenHealthOnBothPortsAndKeysSurviveRestart() throws Exception {
    String dsn = "h2:file:" + data.resolve("db");
    String kid;
    try (ExampleServer s = ExampleServer.start(config(dsn))) {
      assertEquals(200, get(s.publicUrl().resolve("/health/alive")));
      assertEquals(200, get(s.publicUrl().resolve("/health/ready")));
      assertEquals(200, get(s.adminUrl().resolve("/health/ready")));
      assertEquals(404, get(s.publicUrl().resolve("/nope")));
      kid = s.keys().createKey("example", KeyAlgorithm.ES256, "sig", null).getKeyID();
    }
    try (ExampleServer s = ExampleServer.start(config(dsn))) {
      assertTrue(s.keys().privateKey("example", kid).orElseThrow().isPrivate(),
          "the generated system secret is kept in the data folder, so keys decrypt after a restart");
    }
  }

  @Test
  void decisionsWhenBlogRulesThenAnonymousReadsAndWritesNeedASessionOrToken() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("memory"))) {
      HttpResponse<String> read = client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/decisions/api/posts"))
          .header("X-Forwarded-Method", "GET").header("X-Forwarded-Proto", "https")
          .header("X-Forwarded-Host", "blog.example").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, read.statusCode(), read.body());
      assertEquals("anonymous", read.headers().firstValue("X-User").orElseThrow());
      HttpResponse<String> write = client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/decisions/api/posts"))
          .header("X-Forwarded-Method", "POST").header("X-Forwarded-Proto", "https")
          .header("X-Forwarded-Host", "blog.example").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, write.statusCode(), write.body());
      HttpResponse<String> rules = client.send(HttpRequest.newBuilder(s.adminUrl().resolve("/rules")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, rules.statusCode());
      assertTrue(rules.body().contains("posts:delete"));
    }
  }

  @Test
  void blogApiWhenBehindTheAccessRulesThenReadsAreOpenWritesNeedASessionAndDeletesOwnerOrPolicy() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("memory"))) {
      var json = io.ory4j.core.json.OryJson.create();
      URI posts = s.publicUrl().resolve("/api/posts");
      assertEquals(200, get(posts));
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(posts).header("Content-Type",
          "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"hi\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode(), "the access rules refuse an anonymous write: " + anonymous.body());

      var writer = register(s, json, "writer@example.com");
      var other = register(s, json, "other@example.com");
      var post = createPost(s, json, writer.get("cookie").asText(), "Hello");
      assertEquals(writer.get("id").asText(), post.get("author").asText(), "X-User comes from the session");
      var second = createPost(s, json, writer.get("cookie").asText(), "Again");

      URI one = s.publicUrl().resolve("/api/posts/" + post.get("id").asText());
      HttpResponse<String> notOwner = client.send(HttpRequest.newBuilder(one).header("Cookie",
          other.get("cookie").asText()).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(403, notOwner.statusCode(), "neither owner nor allowed by a policy: " + notOwner.body());
      assertEquals(204, client.send(HttpRequest.newBuilder(one).header("Cookie", writer.get("cookie").asText())
          .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "the owner tuple allows");
      String tuples = client.send(HttpRequest.newBuilder(s.adminUrl().resolve("/relation-tuples?namespace=blog"
          + "&object=" + post.get("id").asText())).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(tuples.contains("\"relation_tuples\":[]"), "the post's tuples go with it: " + tuples);

      URI two = s.publicUrl().resolve("/api/posts/" + second.get("id").asText());
      HttpResponse<String> policy = client.send(HttpRequest.newBuilder(s.adminUrl().resolve(
          "/engines/acp/ory/exact/policies")).header("Content-Type", "application/json").PUT(
          HttpRequest.BodyPublishers.ofString("{\"id\":\"moderators-delete\",\"subjects\":[\""
              + other.get("id").asText() + "\"],\"resources\":[\"blog:posts:" + second.get("id").asText()
              + "\"],\"actions\":[\"delete\"],\"effect\":\"allow\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, policy.statusCode(), policy.body());
      assertEquals(204, client.send(HttpRequest.newBuilder(two).header("Cookie", other.get("cookie").asText())
          .DELETE().build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "an ACP policy allows");
    }
  }

  /** Registers through Kratos' API flow; answers {@code {"id": identity id, "cookie": session cookie}}. */
  private com.fasterxml.jackson.databind.JsonNode register(ExampleServer s, io.ory4j.core.json.OryJson json,
      String email) throws Exception {
    var flow = json.readTree(client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
        "/self-service/registration/api")).build(), HttpResponse.BodyHandlers.ofString()).body());
    var reg = json.readTree(client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
        "/self-service/registration?flow=" + flow.get("id").asText())).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"password\",\"password\":\"correct horse staple\","
            + "\"traits\":{\"email\":\"" + email + "\"}}")).build(), HttpResponse.BodyHandlers.ofString()).body());
    return json.readTree(json.writeBytes(Map.of("id", reg.get("identity").get("id").asText(),
        "cookie", "ory_kratos_session=" + reg.get("session_token").asText())));
  }

  private com.fasterxml.jackson.databind.JsonNode createPost(ExampleServer s, io.ory4j.core.json.OryJson json,
      String cookie, String title) throws Exception {
    HttpResponse<String> created = client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/api/posts"))
        .header("Content-Type", "application/json").header("Cookie", cookie).header("X-User", "mallory")
        .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"" + title + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    return json.readTree(created.body());
  }

  @Test
  void startWhenMemoryThenServes() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("memory"))) {
      assertEquals(200, get(s.adminUrl().resolve("/health/alive")));
    }
  }

  @Test
  void relationTuplesWhenWrittenOnAdminThenCheckedOnPublicAsKeto() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("h2:file:" + data.resolve("keto")))) {
      HttpResponse<String> put = client.send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/relation-tuples"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"blog\",\"object\":\"post-1\","
              + "\"relation\":\"owner\",\"subject_id\":\"alice\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, put.statusCode(), put.body());
      assertEquals(200, get(s.publicUrl().resolve(
          "/relation-tuples/check?namespace=blog&object=post-1&relation=delete&subject_id=alice")));
      assertEquals(403, get(s.publicUrl().resolve(
          "/relation-tuples/check?namespace=blog&object=post-1&relation=delete&subject_id=bob")));
      assertEquals(404, get(s.publicUrl().resolve("/admin/relation-tuples")), "the write API is admin-only");
    }
  }

  @Test
  void startWhenNamespacesLocationHasOplErrorThenConfigErrorWithPosition() throws Exception {
    Path opl = data.resolve("bad.ts");
    java.nio.file.Files.writeString(opl, "class A implements Namespace {\n  oops\n}");
    OryConfig bad = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "NAMESPACES_LOCATION", "file://" + opl)).build();
    ConfigException e = assertThrows(ConfigException.class, () -> ExampleServer.start(bad));
    assertTrue(e.getMessage().contains("NAMESPACES_LOCATION"), e.getMessage());
    assertTrue(e.getMessage().contains("2:3"), e.getMessage());
  }

  @Test
  void startWhenBadPortThenConfigErrorNamingKey() {
    OryConfig bad = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "x",
        "DATA_DIR", data.toString())).build();
    ConfigException e = assertThrows(ConfigException.class, () -> ExampleServer.start(bad));
    assertTrue(e.getMessage().contains("SERVE_PUBLIC_PORT"));
  }
}
