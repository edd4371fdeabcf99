package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.examples.TestBrowser;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Item 7: every HTML page the example serves (the self-service pages, the blog, the error page, the login, consent
 * and signed-out pages, Hydra's {@code form_post} answers and error answers, the front-channel logout page) refuses
 * to be framed ({@code X-Frame-Options: DENY} or CSP {@code frame-ancestors 'none'}) and is not cached
 * ({@code Cache-Control: no-store}); so are the flows' JSON answers.
 */
class SecurityHeadersTest extends ServerTest {

  @Override
  Map<String, String> settings() {
    return Map.of("SELFSERVICE_FLOWS_RECOVERY_ENABLED", "true", "SELFSERVICE_FLOWS_VERIFICATION_ENABLED", "true");
  }

  private static String query(String clientId, String extra) {
    return "response_type=code&client_id=" + TestBrowser.enc(clientId) + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=" + TestBrowser.enc("openid offline")
        + "&state=state-0123456789&nonce=nonce-0123456789" + extra;
  }

  private static void assertNotFramedNorCached(String what, HttpResponse<String> r) {
    String type = r.headers().firstValue("Content-Type").orElse("");
    String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(r.headers().firstValue("X-Frame-Options").orElse("").equals("DENY")
        || csp.contains("frame-ancestors 'none'"), what + " can be framed: " + r.headers().map());
    assertTrue(r.headers().firstValue("Cache-Control").orElse("").contains("no-store"), what + " may be cached: "
        + r.headers().map());
    assertTrue(type.startsWith("text/html") || type.startsWith("application/json"), what + ": " + type);
  }

  @Test
  void everyHtmlPageWhenServedThenNotFramedAndNotCached() throws Exception {
    Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
    TestBrowser anonymous = new TestBrowser();
    for (String p : new String[] {"/", "/login", "/registration", "/recovery", "/verification", "/blog",
        "/error?id=00000000-0000-0000-0000-000000000000", "/ui/logged-out"}) {
      pages.put(p, anonymous.open(f.pub.resolve(p)));
    }

    String clientId = f.client("{\"redirect_uris\":[\"" + SecurityFixture.CALLBACK + "\"],\"grant_types\":"
        + "[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],\"scope\":\"openid offline\","
        + "\"frontchannel_logout_uri\":\"https://client.example.com:8443/fc\","
        + "\"token_endpoint_auth_method\":\"client_secret_basic\"}").get("client_id").asText();
    TestBrowser user = new TestBrowser();
    HttpResponse<String> loginPage = user.open(f.pub.resolve("/oauth2/auth?" + query(clientId, "")));
    pages.put("/ui/login", loginPage);
    HttpResponse<String> formPost = f.authorize(user, query(clientId, "&response_mode=form_post"));
    assertEquals(200, formPost.statusCode(), formPost.body());
    assertTrue(formPost.body().contains("name=\"code\""), formPost.body());
    pages.put("form_post with the code", formPost);
    HttpResponse<String> consentPage = user.open(f.pub.resolve("/oauth2/auth?" + query(clientId, "&prompt=consent")));
    assertTrue(consentPage.body().contains("name=\"decision\""), consentPage.body());
    pages.put("/ui/consent", consentPage);
    HttpResponse<String> formPostError = user.send(HttpRequest.newBuilder(f.pub.resolve("/oauth2/auth?"
        + query(clientId, "&response_mode=form_post&code_challenge=" + "x".repeat(43)
            + "&code_challenge_method=plain"))));
    assertTrue(formPostError.body().contains("name=\"error\""), formPostError.body());
    pages.put("form_post with an error", formPostError);
    pages.put("/settings", user.open(f.pub.resolve("/settings")));
    // a logout the browser started: the provider's confirmation page, then Hydra's front-channel logout page
    HttpResponse<String> confirm = user.open(f.pub.resolve("/oauth2/sessions/logout"));
    assertTrue(confirm.body().contains("name=\"decision\""), confirm.body());
    pages.put("/ui/logout", confirm);
    HttpResponse<String> frontChannel = user.followWithin(f.pub, user.send(SecurityFixture.form(f.pub.resolve(
        "/ui/logout"), "challenge=" + TestBrowser.enc(TestBrowser.field(confirm.body(), "challenge")) + "&csrf_token="
        + TestBrowser.enc(TestBrowser.field(confirm.body(), "csrf_token")) + "&decision=yes")));
    assertTrue(frontChannel.body().contains("<iframe"), frontChannel.body());
    pages.put("front-channel logout page", frontChannel);

    for (Map.Entry<String, HttpResponse<String>> e : pages.entrySet()) {
      assertEquals(200, e.getValue().statusCode(), e.getKey() + ": " + e.getValue().body());
      assertNotFramedNorCached(e.getKey(), e.getValue());
    }
  }

  @Test
  void flowsWhenFetchedAsJsonThenNotCached() throws Exception {
    TestBrowser b = new TestBrowser();
    for (String kind : new String[] {"login", "registration", "recovery", "verification"}) {
      HttpResponse<String> init = b.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/" + kind + "/browser"))
          .header("Accept", "application/json"));
      assertEquals(200, init.statusCode(), init.body());
      assertTrue(init.headers().firstValue("Cache-Control").orElse("").contains("no-store"), kind);
      String id = f.json.readTree(init.body()).get("id").asText();
      HttpResponse<String> flow = b.send(HttpRequest.newBuilder(f.pub.resolve("/self-service/" + kind + "/flows?id="
          + id)));
      assertEquals(200, flow.statusCode(), flow.body());
      assertTrue(flow.headers().firstValue("Cache-Control").orElse("").contains("no-store"), kind + " flow: "
          + flow.headers().map());
    }
  }
}
