package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.hash.BcryptHasher;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kratos' admin and public API through the servlet adapter on embedded Jetty, with a real HTTP client. */
class IdentityApiJettyTest {

  private static final OryJson JSON = OryJson.create();
  private IdentityJettyServer server;
  private IdentityService service;
  private URI pub;
  private URI admin;

  @BeforeEach
  void start() throws Exception {
    service = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas())
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    server = new IdentityJettyServer(service, JSON, Clock.systemUTC());
    pub = server.pub;
    admin = server.admin;
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private HttpResponse<String> send(String method, URI base, String target, String body, String... headers)
      throws Exception {
    return server.send(method, base, target, body, headers);
  }

  @Test
  void apiFlowsWhenRegisterLoginWhoamiLogoutThenKratosShapes() throws Exception {
    JsonNode flow = JSON.readTree(send("GET", pub, "/self-service/registration/api", null).body());
    assertEquals("api", flow.get("type").asText());
    List<String> names = flow.get("ui").get("nodes").findValuesAsText("name");
    assertTrue(names.containsAll(List.of("csrf_token", "traits.email", "traits.name.first", "password", "method")),
        names.toString());
    String action = flow.get("ui").get("action").asText();
    assertTrue(action.endsWith("/self-service/registration?flow=" + flow.get("id").asText()));

    HttpResponse<String> weak = send("POST", pub, "/self-service/registration?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"password\":\"short\",\"traits\":{\"email\":\"ada@example.com\"}}");
    assertEquals(400, weak.statusCode());
    assertEquals(4000005, JSON.readTree(weak.body()).get("ui").get("messages").get(0).get("id").asInt());

    HttpResponse<String> reg = send("POST", pub, "/self-service/registration?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"password\":\"correct horse staple\",\"traits\":{\"email\":\"ada@example.com\"}}");
    assertEquals(200, reg.statusCode(), reg.body());
    JsonNode registered = JSON.readTree(reg.body());
    assertTrue(registered.get("session_token").asText().startsWith("ory_st_"));
    assertEquals("ada@example.com", registered.get("identity").get("traits").get("email").asText());

    JsonNode loginFlow = JSON.readTree(send("GET", pub, "/self-service/login/api", null).body());
    String loginUrl = "/self-service/login?flow=" + loginFlow.get("id").asText();
    HttpResponse<String> bad = send("POST", pub, loginUrl,
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"wrong horse staple\"}");
    assertEquals(400, bad.statusCode());
    assertEquals(4000006, JSON.readTree(bad.body()).get("ui").get("messages").get(0).get("id").asInt());
    HttpResponse<String> ok = send("POST", pub, loginUrl,
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"correct horse staple\"}");
    assertEquals(200, ok.statusCode(), ok.body());
    String token = JSON.readTree(ok.body()).get("session_token").asText();

    HttpResponse<String> whoami = send("GET", pub, "/sessions/whoami", null, "X-Session-Token", token);
    assertEquals(200, whoami.statusCode());
    assertEquals("ada@example.com", JSON.readTree(whoami.body()).get("identity").get("traits").get("email").asText());
    assertEquals(200, send("GET", pub, "/sessions/whoami", null, "Cookie", "ory_kratos_session=" + token)
        .statusCode());
    HttpResponse<String> none = send("GET", pub, "/sessions/whoami", null);
    assertEquals(401, none.statusCode());
    assertEquals("session_inactive", JSON.readTree(none.body()).get("error").get("id").asText());

    assertEquals(204, send("DELETE", pub, "/self-service/logout/api", "{\"session_token\":\"" + token + "\"}")
        .statusCode());
    assertEquals(401, send("GET", pub, "/sessions/whoami", null, "X-Session-Token", token).statusCode());
  }

  @Test
  void adminIdentitiesWhenCrudAndPatchThenKratosJson() throws Exception {
    HttpResponse<String> created = send("POST", admin, "/admin/identities", "{\"schema_id\":\"default\","
        + "\"traits\":{\"email\":\"imp@example.com\"},\"credentials\":{\"password\":{\"config\":{\"hashed_password\":"
        + "\"$pbkdf2-sha256$i=100000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI\"}}}}");
    assertEquals(201, created.statusCode(), created.body());
    JsonNode identity = JSON.readTree(created.body());
    String id = identity.get("id").asText();
    assertFalse(identity.has("credentials"));
    assertEquals("imp@example.com", identity.get("verifiable_addresses").get(0).get("value").asText());

    JsonNode withCreds = JSON.readTree(send("GET", admin, "/admin/identities/" + id + "?include_credential=password",
        null).body());
    assertEquals(List.of("imp@example.com"), List.of(withCreds.get("credentials").get("password").get("identifiers")
        .get(0).asText()));

    HttpResponse<String> list = send("GET", admin, "/admin/identities?credentials_identifier=imp@example.com", null);
    assertEquals(1, JSON.readTree(list.body()).size());
    assertTrue(list.headers().firstValue("Link").orElseThrow().contains("rel=\"first\""));

    HttpResponse<String> patched = send("PATCH", admin, "/admin/identities/" + id,
        "[{\"op\":\"replace\",\"path\":\"/state\",\"value\":\"inactive\"},"
            + "{\"op\":\"add\",\"path\":\"/metadata_public\",\"value\":{\"plan\":\"pro\"}}]");
    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals("inactive", JSON.readTree(patched.body()).get("state").asText());

    HttpResponse<String> invalid = send("POST", admin, "/admin/identities", "{\"traits\":{\"email\":1}}");
    assertEquals(400, invalid.statusCode());
    HttpResponse<String> badHash = send("POST", admin, "/admin/identities", "{\"traits\":{\"email\":\"x@example.com\"},"
        + "\"credentials\":{\"password\":{\"config\":{\"hashed_password\":\"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$aGFzaA\"}}}}");
    assertEquals(400, badHash.statusCode());
    assertTrue(JSON.readTree(badHash.body()).get("error").get("reason").asText().contains("argon2 memory"));

    assertEquals(204, send("DELETE", admin, "/admin/identities/" + id, null).statusCode());
    assertEquals(404, send("GET", admin, "/admin/identities/" + id, null).statusCode());
    assertEquals(404, send("GET", pub, "/admin/identities", null).statusCode(), "admin paths are not public");
  }

  @Test
  void getIdentityWhenIncludeCredentialNamesTypesThenOnlyThoseShown() throws Exception {
    HttpResponse<String> created = send("POST", admin, "/admin/identities", "{\"traits\":{\"email\":"
        + "\"mfa@example.com\"},\"credentials\":{\"password\":{\"config\":{\"password\":\"correct horse staple\"}}}}");
    assertEquals(201, created.statusCode(), created.body());
    java.util.UUID id = java.util.UUID.fromString(JSON.readTree(created.body()).get("id").asText());
    service.regenerateLookupSecrets(id);
    JsonNode pw = JSON.readTree(send("GET", admin, "/admin/identities/" + id + "?include_credential=password", null)
        .body()).get("credentials");
    assertEquals(List.of("password"), names(pw));
    JsonNode lookup = JSON.readTree(send("GET", admin, "/admin/identities/" + id
        + "?include_credential=lookup_secret", null).body()).get("credentials");
    assertEquals(List.of("lookup_secret"), names(lookup));
    assertEquals(12, lookup.get("lookup_secret").get("config").get("recovery_codes").size());
    assertFalse(JSON.readTree(send("GET", admin, "/admin/identities/" + id, null).body()).has("credentials"));
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void deleteCredentialWhenSecondFactorThenRemovedAndPasswordRefused() throws Exception {
    HttpResponse<String> created = send("POST", admin, "/admin/identities", "{\"traits\":{\"email\":"
        + "\"del@example.com\"},\"credentials\":{\"password\":{\"config\":{\"password\":\"correct horse staple\"}}}}");
    java.util.UUID id = java.util.UUID.fromString(JSON.readTree(created.body()).get("id").asText());
    service.regenerateLookupSecrets(id);
    assertEquals(List.of("lookup_secret"), service.secondFactors(id));
    assertEquals(204, send("DELETE", admin, "/admin/identities/" + id + "/credentials/lookup_secret", null)
        .statusCode());
    assertEquals(List.of(), service.secondFactors(id));
    assertEquals(404, send("DELETE", admin, "/admin/identities/" + id + "/credentials/lookup_secret", null)
        .statusCode());
    assertEquals(404, send("DELETE", admin, "/admin/identities/" + id + "/credentials/totp", null).statusCode());
    assertEquals(400, send("DELETE", admin, "/admin/identities/" + id + "/credentials/password", null)
        .statusCode());
    assertEquals(404, send("DELETE", admin, "/admin/identities/" + java.util.UUID.randomUUID()
        + "/credentials/totp", null).statusCode());
  }
}
