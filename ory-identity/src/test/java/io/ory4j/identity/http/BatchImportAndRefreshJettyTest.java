package io.ory4j.identity.http;

import io.ory4j.identity.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.hash.BcryptHasher;
import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kratos' batch import ({@code PATCH /admin/identities}) and login with {@code refresh=true}, on embedded Jetty. */
class BatchImportAndRefreshJettyTest {

  private static final OryJson JSON = OryJson.create();


  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private IdentityJettyServer server;
  private IdentityService service;
  private URI pub;
  private URI admin;

  @BeforeEach
  void start() throws Exception {
    service = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    server = new IdentityJettyServer(service, JSON, clock);
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

  // ---- batch import ----

  @Test
  void batchImportWhenMixedEntriesThenEachIndependentWithKratosResults() throws Exception {
    String body = """
        {"identities":[
          {"create":{"traits":{"email":"a@example.com"},"credentials":{"password":{"config":{
            "hashed_password":"$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/"}}}}},
          {"create":{"traits":{"email":"e@example.com","extra":1}}},
          {"create":{"traits":{"email":"b@example.com"},"credentials":{"password":{"config":{
            "hashed_password":"$sha256-crypt$rounds=9999999$salt$Q/zslzx./JjkAVPTwp6th7nW5l7JU91Gte/UmIh.U78"}}}}},
          {"create":{"traits":{"email":"a@example.com"},"credentials":{"password":{"config":{
            "hashed_password":"$md5-crypt$$whuMjZj.HMFoaTaZRRtkO0"}}}}},
          {"create":{"schema_id":"default"}},
          {"patch_id":"p-6","create":{"traits":{"email":"c@example.com"}}}
        ]}""";
    HttpResponse<String> res = send("PATCH", admin, "/admin/identities", body);
    assertEquals(200, res.statusCode(), res.body());
    JsonNode out = JSON.readTree(res.body()).get("identities");
    assertEquals(6, out.size());
    assertEquals("create", out.get(0).get("action").asText());
    assertEquals("error", out.get(1).get("action").asText());
    assertEquals(400, out.get(1).get("error").get("code").asInt());
    assertEquals("error", out.get(2).get("action").asText());
    assertTrue(out.get(2).get("error").get("reason").asText().contains("rounds"), out.get(2).toString());
    assertEquals("error", out.get(3).get("action").asText());
    assertEquals(409, out.get(3).get("error").get("code").asInt());
    assertEquals("error", out.get(4).get("action").asText());
    assertEquals("create", out.get(5).get("action").asText());
    assertEquals("p-6", out.get(5).get("patch_id").asText());

    String id = out.get(0).get("identity").asText();
    assertEquals(200, send("GET", admin, "/admin/identities/" + id, null).statusCode());
    assertEquals(2, JSON.readTree(send("GET", admin, "/admin/identities", null).body()).size());

    // the imported md5-crypt hash logs in
    JsonNode flow = JSON.readTree(send("GET", pub, "/self-service/login/api", null).body());
    HttpResponse<String> login = send("POST", pub, "/self-service/login?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"identifier\":\"a@example.com\",\"password\":\"test\"}");
    assertEquals(200, login.statusCode(), login.body());
  }

  @Test
  void batchImportWhenMoreThan2000ThenBadRequestAndNothingCreated() throws Exception {
    StringBuilder b = new StringBuilder("{\"identities\":[");
    for (int i = 0; i <= IdentityService.BATCH_LIMIT; i++) {
      b.append(i == 0 ? "" : ",").append("{\"create\":{\"traits\":{\"email\":\"u").append(i)
          .append("@example.com\"}}}");
    }
    HttpResponse<String> res = send("PATCH", admin, "/admin/identities", b.append("]}").toString());
    assertEquals(400, res.statusCode(), res.body());
    assertEquals("[]", send("GET", admin, "/admin/identities", null).body().replaceAll("\\s", ""));
  }

  @Test
  void batchImportWhenIdentitiesNotAnArrayThenBadRequest() throws Exception {
    assertEquals(400, send("PATCH", admin, "/admin/identities", "{\"identities\":{}}").statusCode());
    assertEquals(400, send("PATCH", admin, "/admin/identities", "{not json").statusCode());
  }

  @Test
  void createIdentitiesWhenPlainJavaThenResultsInOrder() {
    List<IdentityService.IdentityCreate> creates = new ArrayList<>();
    creates.add(IdentityService.IdentityCreate.of(JSON.readTree("{\"email\":\"x@example.com\"}"))
        .withHashedPassword("$sha512-crypt$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4O"
            + "TLiBFdcbYEdFCoEOfaS35inz1"));
    creates.add(IdentityService.IdentityCreate.of(JSON.readTree("{\"email\":\"y@example.com\"}"))
        .withHashedPassword("$md5-crypt$short"));
    List<IdentityService.BatchResult> r = service.createIdentities(creates);
    assertEquals(List.of("create", "error"), r.stream().map(IdentityService.BatchResult::action).toList());
    assertTrue(r.get(1).error().reason().contains("malformed md5-crypt"));
    assertEquals("x@example.com", service.loginWithPassword("x@example.com", "Hello world!").identity().traits()
        .get("email").asText());
    assertThrows(OryException.class, () -> service.createIdentities(java.util.Collections.nCopies(2001,
        IdentityService.IdentityCreate.of(JSON.readTree("{\"email\":\"z@example.com\"}")))));
  }

  // ---- refresh ----

  private String registerAndLogin(String email) throws Exception {
    JsonNode flow = JSON.readTree(send("GET", pub, "/self-service/registration/api", null).body());
    HttpResponse<String> reg = send("POST", pub, "/self-service/registration?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"password\":\"correct horse staple\",\"traits\":{\"email\":\"" + email + "\"}}");
    assertEquals(200, reg.statusCode(), reg.body());
    return JSON.readTree(reg.body()).get("session_token").asText();
  }

  private static JsonNode node(JsonNode flow, String name) {
    for (JsonNode n : flow.get("ui").get("nodes")) {
      if (n.get("attributes").get("name").asText().equals(name)) {
        return n;
      }
    }
    throw new AssertionError("no node " + name);
  }

  @Test
  void refreshWhenSessionAndRightPasswordThenSameSessionReauthenticated() throws Exception {
    String token = registerAndLogin("ada@example.com");
    JsonNode before = JSON.readTree(send("GET", pub, "/sessions/whoami", null, "X-Session-Token", token).body());
    clock.advance(Duration.ofHours(2));

    HttpResponse<String> init = send("GET", pub, "/self-service/login/api?refresh=true", null,
        "X-Session-Token", token);
    assertEquals(200, init.statusCode(), init.body());
    JsonNode flow = JSON.readTree(init.body());
    assertTrue(flow.get("refresh").asBoolean());
    JsonNode identifier = node(flow, "identifier");
    assertEquals("ada@example.com", identifier.get("attributes").get("value").asText());
    assertTrue(identifier.get("attributes").get("disabled").asBoolean());
    assertEquals(1010003, flow.get("ui").get("messages").get(0).get("id").asInt());

    String url = "/self-service/login?flow=" + flow.get("id").asText();
    HttpResponse<String> wrong = send("POST", pub, url,
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"wrong horse staple\"}",
        "X-Session-Token", token);
    assertEquals(400, wrong.statusCode());
    assertEquals(4000006, JSON.readTree(wrong.body()).get("ui").get("messages").get(0).get("id").asInt());

    HttpResponse<String> ok = send("POST", pub, url,
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"correct horse staple\"}",
        "X-Session-Token", token);
    assertEquals(200, ok.statusCode(), ok.body());
    JsonNode res = JSON.readTree(ok.body());
    assertEquals(token, res.get("session_token").asText());
    JsonNode s = res.get("session");
    assertEquals(before.get("id").asText(), s.get("id").asText());
    assertEquals(clock.instant(), Instant.parse(s.get("authenticated_at").asText()));
    assertFalse(before.get("authenticated_at").asText().equals(s.get("authenticated_at").asText()));
    assertEquals(2, s.get("authentication_methods").size());

    JsonNode after = JSON.readTree(send("GET", pub, "/sessions/whoami", null, "X-Session-Token", token).body());
    assertEquals(before.get("id").asText(), after.get("id").asText());
    assertEquals(clock.instant(), Instant.parse(after.get("authenticated_at").asText()));
    assertEquals(1, service.listSessions(null, null, io.ory4j.core.storage.PageRequest.parse(null, null)).items()
        .size());
  }

  @Test
  void refreshWhenNoSessionThenPlainLogin() throws Exception {
    registerAndLogin("bob@example.com");
    JsonNode flow = JSON.readTree(send("GET", pub, "/self-service/login/api?refresh=true", null).body());
    assertFalse(flow.get("refresh").asBoolean());
    assertTrue(node(flow, "identifier").get("attributes").path("value").asText("").isEmpty());
    HttpResponse<String> ok = send("POST", pub, "/self-service/login?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"identifier\":\"bob@example.com\",\"password\":\"correct horse staple\"}");
    assertEquals(200, ok.statusCode(), ok.body());
  }

  @Test
  void refreshWhenSubmittedWithAnotherIdentitysSessionThenRefused() throws Exception {
    String ada = registerAndLogin("ada@example.com");
    String bob = registerAndLogin("bob@example.com");
    JsonNode flow = JSON.readTree(send("GET", pub, "/self-service/login/api?refresh=true", null,
        "X-Session-Token", ada).body());
    HttpResponse<String> res = send("POST", pub, "/self-service/login?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"correct horse staple\"}",
        "X-Session-Token", bob);
    assertEquals(400, res.statusCode(), res.body());
    HttpResponse<String> none = send("POST", pub, "/self-service/login?flow=" + flow.get("id").asText(),
        "{\"method\":\"password\",\"identifier\":\"ada@example.com\",\"password\":\"correct horse staple\"}");
    assertEquals(401, none.statusCode(), none.body());
  }
}
