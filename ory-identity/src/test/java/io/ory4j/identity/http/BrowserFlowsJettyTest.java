package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.servlet.OryServlet;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The browser flavor of registration, login and logout: cookies, CSRF, redirects, return_to, expiry. */
class BrowserFlowsJettyTest {

  private static final OryJson JSON = OryJson.create();
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private Server server;
  private IdentityService service;
  private URI base;

  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  @BeforeEach
  void start() throws Exception {
    service = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration()).schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).build();
    BrowserSettings browser = new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"),
        List.of(URI.create("https://app.example/welcome")), false);
    IdentityApi api = new IdentityApi(service, JSON, clock, "http://auth.example", browser);
    server = new Server();
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new OryServlet(api.publicApi())), "/*");
    server.setHandler(ctx);
    server.start();
    base = URI.create("http://127.0.0.1:" + c.getLocalPort());
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private HttpResponse<String> get(String target, String cookies) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(target));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private HttpResponse<String> postForm(String target, String cookies, String form) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(target))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  private static String cookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new AssertionError("no " + name));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String csrfOf(JsonNode flow) {
    for (JsonNode n : flow.get("ui").get("nodes")) {
      if (n.get("attributes").get("name").asText().equals("csrf_token")) {
        return n.get("attributes").get("value").asText();
      }
    }
    throw new AssertionError("no csrf_token node");
  }

  private String[] startRegistration(String query) throws Exception {
    HttpResponse<String> init = get("/self-service/registration/browser" + query, null);
    assertEquals(303, init.statusCode());
    String location = init.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("https://app.example/registration?flow="), location);
    String flowId = location.substring(location.indexOf("flow=") + 5);
    String csrfCookie = cookie(init, "csrf_token");
    assertTrue(init.headers().allValues("Set-Cookie").get(0).contains("HttpOnly"));
    return new String[] {flowId, csrfCookie};
  }

  @Test
  void registrationWhenCsrfRightThenSessionCookieAndRedirectToReturnTo() throws Exception {
    String[] f = startRegistration("?return_to=" + enc("https://app.example/welcome/tour"));
    assertEquals(403, get("/self-service/registration/flows?id=" + f[0], null).statusCode(),
        "a browser flow is only shown to the browser that holds its CSRF cookie");
    HttpResponse<String> flowRes = get("/self-service/registration/flows?id=" + f[0], f[1]);
    assertEquals(200, flowRes.statusCode());
    JsonNode flow = JSON.readTree(flowRes.body());
    assertEquals("browser", flow.get("type").asText());
    String csrf = csrfOf(flow);

    HttpResponse<String> noToken = postForm("/self-service/registration?flow=" + f[0], f[1],
        "method=password&password=" + enc("correct horse staple") + "&traits.email=" + enc("ada@example.com"));
    assertEquals(403, noToken.statusCode());
    assertEquals("security_csrf_violation", JSON.readTree(noToken.body()).get("error").get("id").asText());
    HttpResponse<String> noCookie = postForm("/self-service/registration?flow=" + f[0], null,
        "csrf_token=" + enc(csrf) + "&method=password&password=" + enc("correct horse staple")
            + "&traits.email=" + enc("ada@example.com"));
    assertEquals(403, noCookie.statusCode());

    HttpResponse<String> ok = postForm("/self-service/registration?flow=" + f[0], f[1],
        "csrf_token=" + enc(csrf) + "&method=password&password=" + enc("correct horse staple")
            + "&traits.email=" + enc("ada@example.com"));
    assertEquals(303, ok.statusCode(), ok.body());
    assertEquals("https://app.example/welcome/tour", ok.headers().firstValue("Location").orElseThrow());
    String session = cookie(ok, "ory_kratos_session");
    assertEquals(200, get("/sessions/whoami", session).statusCode());

    HttpResponse<String> again = get("/self-service/login/browser", session);
    assertEquals(303, again.statusCode(), "a signed-in browser is sent on, not given a login form");
    assertEquals("https://app.example/", again.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void registrationWhenWeakPasswordThenBackToUiWithMessageOnTheFlow() throws Exception {
    String[] f = startRegistration("");
    String csrf = csrfOf(JSON.readTree(get("/self-service/registration/flows?id=" + f[0], f[1]).body()));
    HttpResponse<String> weak = postForm("/self-service/registration?flow=" + f[0], f[1],
        "csrf_token=" + enc(csrf) + "&method=password&password=short&traits.email=" + enc("ada@example.com"));
    assertEquals(303, weak.statusCode());
    assertEquals("https://app.example/registration?flow=" + f[0], weak.headers().firstValue("Location").orElseThrow());
    JsonNode flow = JSON.readTree(get("/self-service/registration/flows?id=" + f[0], f[1]).body());
    assertEquals(4000005, flow.get("ui").get("messages").get(0).get("id").asInt());
    assertEquals("ada@example.com", flow.get("ui").get("nodes").findValues("value").stream()
        .filter(v -> v.asText().equals("ada@example.com")).findFirst().orElseThrow().asText(),
        "the traits typed so far are kept");
  }

  @Test
  void initWhenReturnToNotAllowedThen400() throws Exception {
    HttpResponse<String> r = get("/self-service/login/browser?return_to=" + enc("https://evil.example/"), null);
    assertEquals(400, r.statusCode());
    assertEquals("self_service_flow_return_to_forbidden", JSON.readTree(r.body()).get("error").get("id").asText());
    assertEquals(400, get("/self-service/login/browser?return_to=" + enc("https://app.example.evil.com/"), null)
        .statusCode());
  }

  @Test
  void loginAndLogoutWhenBrowserThenCookieSetAndCleared() throws Exception {
    String[] reg = startRegistration("");
    String rcsrf = csrfOf(JSON.readTree(get("/self-service/registration/flows?id=" + reg[0], reg[1]).body()));
    postForm("/self-service/registration?flow=" + reg[0], reg[1], "csrf_token=" + enc(rcsrf)
        + "&method=password&password=" + enc("correct horse staple") + "&traits.email=" + enc("ada@example.com"));

    HttpResponse<String> init = get("/self-service/login/browser", null);
    String flowId = init.headers().firstValue("Location").orElseThrow().split("flow=")[1];
    String csrfCookie = cookie(init, "csrf_token");
    String csrf = csrfOf(JSON.readTree(get("/self-service/login/flows?id=" + flowId, csrfCookie).body()));
    HttpResponse<String> wrong = postForm("/self-service/login?flow=" + flowId, csrfCookie, "csrf_token="
        + enc(csrf) + "&method=password&identifier=" + enc("ada@example.com") + "&password=wrong-wrong");
    assertEquals(303, wrong.statusCode());
    JsonNode failed = JSON.readTree(get("/self-service/login/flows?id=" + flowId, csrfCookie).body());
    assertEquals(4000006, failed.get("ui").get("messages").get(0).get("id").asInt());
    HttpResponse<String> ok = postForm("/self-service/login?flow=" + flowId, csrfCookie, "csrf_token=" + enc(csrf)
        + "&method=password&identifier=" + enc("ada@example.com") + "&password=" + enc("correct horse staple"));
    assertEquals(303, ok.statusCode());
    String session = cookie(ok, "ory_kratos_session");

    JsonNode logout = JSON.readTree(get("/self-service/logout/browser", session).body());
    String url = logout.get("logout_url").asText();
    HttpResponse<String> out = get(url.substring(url.indexOf("/self-service")), session);
    assertEquals(303, out.statusCode());
    assertTrue(out.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("ory_kratos_session=;")
        && c.contains("Max-Age=0")));
    assertEquals(401, get("/sessions/whoami", session).statusCode());
    assertEquals(401, get(url.substring(url.indexOf("/self-service")), session).statusCode(), "a token works once");
  }

  @Test
  void submitWhenFlowExpiredThen410() throws Exception {
    String[] f = startRegistration("");
    now.set(now.get().plus(Duration.ofHours(2)));
    HttpResponse<String> r = postForm("/self-service/registration?flow=" + f[0], f[1], "method=password");
    assertEquals(410, r.statusCode());
    assertEquals("self_service_flow_expired", JSON.readTree(r.body()).get("error").get("id").asText());
  }

  @Test
  void initWhenSpaAsksForJsonThenFlowJsonAndCsrfCookie() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/self-service/login/browser"))
        .header("Accept", "application/json").build(), BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    JsonNode flow = JSON.readTree(r.body());
    assertEquals("browser", flow.get("type").asText());
    assertEquals(cookie(r, "csrf_token").substring("csrf_token=".length()), csrfOf(flow));
  }

  @Test
  void loginBrowserWhenAal2ThenSecondFactorFormUpgradesTheCookieSession() throws Exception {
    IdentityService.Login login = service.registerWithPassword(null,
        JSON.readTree("{\"email\":\"mfa@example.com\"}"), "correct horse staple");
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    String session = "ory_kratos_session=" + login.sessionToken();

    HttpResponse<String> refused = get("/sessions/whoami", session);
    assertEquals(403, refused.statusCode());
    JsonNode err = JSON.readTree(refused.body()).get("error");
    assertEquals("session_aal2_required", err.get("id").asText());
    assertEquals("http://auth.example/self-service/login/browser?aal=aal2",
        err.get("details").get("redirect_browser_to").asText());

    assertEquals("http://auth.example/self-service/login/browser?aal=aal2&return_to=https%3A%2F%2Fapp.example%2Fx",
        JSON.readTree(get("/sessions/whoami?return_to=https://app.example/x", session).body()).get("error")
            .get("details").get("redirect_browser_to").asText());

    HttpResponse<String> init = get("/self-service/login/browser?aal=aal2", session);
    assertEquals(303, init.statusCode(), init.body());
    String location = init.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("https://app.example/login?flow="), location);
    String flowId = location.substring(location.indexOf('=') + 1);
    String cookies = session + "; " + cookie(init, "csrf_token");
    JsonNode flow = JSON.readTree(get("/self-service/login/flows?id=" + flowId, cookies).body());
    assertEquals("aal2", flow.get("requested_aal").asText());
    String csrf = csrfOf(flow);

    HttpResponse<String> wrong = postForm("/self-service/login?flow=" + flowId, cookies, "csrf_token=" + enc(csrf)
        + "&method=lookup_secret&lookup_secret=zzzzzzzz");
    assertEquals(303, wrong.statusCode());
    assertTrue(JSON.readTree(get("/self-service/login/flows?id=" + flowId, cookies).body()).get("ui")
        .get("messages").toString().contains("4000016"));

    HttpResponse<String> ok = postForm("/self-service/login?flow=" + flowId, cookies, "csrf_token=" + enc(csrf)
        + "&method=lookup_secret&lookup_secret=" + codes.get(0));
    assertEquals(303, ok.statusCode(), ok.body());
    assertEquals("https://app.example/", ok.headers().firstValue("Location").orElseThrow());
    assertEquals(session, cookie(ok, "ory_kratos_session"), "the same session token");
    HttpResponse<String> who = get("/sessions/whoami", session);
    assertEquals(200, who.statusCode(), who.body());
    assertEquals("aal2", JSON.readTree(who.body()).get("authenticator_assurance_level").asText());
  }

  @Test
  void loginBrowserWhenAal2WithoutCsrfThen403() throws Exception {
    IdentityService.Login login = service.registerWithPassword(null,
        JSON.readTree("{\"email\":\"mfa2@example.com\"}"), "correct horse staple");
    List<String> codes = service.regenerateLookupSecrets(login.identity().id());
    String session = "ory_kratos_session=" + login.sessionToken();
    HttpResponse<String> init = get("/self-service/login/browser?aal=aal2", session);
    String location = init.headers().firstValue("Location").orElseThrow();
    String flowId = location.substring(location.indexOf('=') + 1);
    HttpResponse<String> res = postForm("/self-service/login?flow=" + flowId, session,
        "method=lookup_secret&lookup_secret=" + codes.get(0));
    assertEquals(403, res.statusCode());
    assertEquals(12, service.remainingLookupSecrets(login.identity().id()));
  }

  @Test
  void loginWhenRefreshTrueWithSessionCookieThenSameSessionReauthenticated() throws Exception {
    String[] f = startRegistration("");
    HttpResponse<String> reg = postForm("/self-service/registration?flow=" + f[0], f[1], "csrf_token="
        + enc(f[1].substring(f[1].indexOf('=') + 1)) + "&method=password&password=" + enc("correct horse staple")
        + "&traits.email=" + enc("rita@example.com"));
    assertEquals(303, reg.statusCode(), reg.body());
    String session = cookie(reg, "ory_kratos_session");
    String before = service.whoami(session.substring(session.indexOf('=') + 1)).orElseThrow().id().toString();
    now.set(now.get().plusSeconds(3600));

    HttpResponse<String> init = get("/self-service/login/browser?refresh=true", session);
    assertEquals(303, init.statusCode(), init.body());
    String location = init.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith("https://app.example/login?flow="), location);
    String flowId = location.substring(location.indexOf("flow=") + 5);
    String csrf = cookie(init, "csrf_token");
    JsonNode flow = JSON.readTree(get("/self-service/login/flows?id=" + flowId, csrf + "; " + session).body());
    assertTrue(flow.get("refresh").asBoolean());

    HttpResponse<String> ok = postForm("/self-service/login?flow=" + flowId, csrf + "; " + session, "csrf_token="
        + enc(csrfOf(flow)) + "&method=password&identifier=" + enc("rita@example.com") + "&password="
        + enc("correct horse staple"));
    assertEquals(303, ok.statusCode(), ok.body());
    assertEquals(session, cookie(ok, "ory_kratos_session"));
    var after = service.whoami(session.substring(session.indexOf('=') + 1)).orElseThrow();
    assertEquals(before, after.id().toString());
    assertEquals(now.get(), after.authenticatedAt());
  }
}
