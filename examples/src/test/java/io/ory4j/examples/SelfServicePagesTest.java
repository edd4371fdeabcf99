package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.OryConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's self-service pages driven as a browser without JavaScript would: sign up, the blog, settings, log
 * out, a refused and an accepted sign-in; every page renders the flow's own form and sends the security headers.
 */
class SelfServicePagesTest {

  @TempDir
  Path data;

  private final TestBrowser browser = new TestBrowser();

  private static String action(String html, String group) {
    Matcher m = Pattern.compile("<form method=\"POST\" action=\"([^\"]*)\" data-group=\"" + group + "\">")
        .matcher(html);
    assertTrue(m.find(), "no " + group + " form in " + html);
    return m.group(1).replace("&amp;", "&");
  }

  private static void secureHeaders(HttpResponse<String> page) {
    assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElse(""), page.uri().toString());
    assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""), page.uri().toString());
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
  }

  @Test
  void pagesWhenBrowsedThenSignUpBlogSettingsLogoutAndSignInWork() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      URI pub = s.publicUrl();
      HttpResponse<String> home = browser.open(pub);
      assertTrue(home.body().contains("You are not signed in"), home.body());
      secureHeaders(home);

      HttpResponse<String> signUp = browser.open(pub.resolve("/registration"));
      assertEquals(200, signUp.statusCode(), signUp.body());
      assertTrue(signUp.uri().getQuery().startsWith("flow="), "the page was given a flow: " + signUp.uri());
      assertTrue(signUp.body().contains("name=\"traits.email\"") && signUp.body().contains("name=\"password\""));
      secureHeaders(signUp);
      HttpResponse<String> signedUp = browser.submit(pub.resolve(action(signUp.body(), "password")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(signUp.body(), "csrf_token")) + "&traits.email=page%40example.com"
          + "&password=" + TestBrowser.enc("correct horse staple battery") + "&method=password");
      assertTrue(signedUp.body().contains("Signed in as <b id=\"who\">page@example.com</b>"), signedUp.body());

      HttpResponse<String> blog = browser.open(pub.resolve("/blog"));
      assertTrue(blog.body().contains("<script src=\"/blog.js\"></script>"));
      secureHeaders(blog);
      assertEquals(201, browser.send(HttpRequest.newBuilder(pub.resolve("/api/posts")).header("Content-Type",
          "application/json").POST(BodyPublishers.ofString("{\"title\":\"From the page\"}"))).statusCode(),
          "the session cookie of the pages writes through the access rules");

      HttpResponse<String> settings = browser.open(pub.resolve("/settings"));
      assertEquals(200, settings.statusCode(), settings.body());
      assertTrue(settings.body().contains("value=\"page@example.com\""), "the profile form holds the traits");
      action(settings.body(), "password");

      Matcher logout = Pattern.compile("id=\"logout\" href=\"([^\"]*)\"").matcher(browser.open(pub).body());
      assertTrue(logout.find(), "a signed-in home page links to log out");
      HttpResponse<String> out = browser.open(URI.create(logout.group(1).replace("&amp;", "&")));
      assertTrue(out.body().contains("You are not signed in"), out.body());

      HttpResponse<String> signIn = browser.open(pub.resolve("/login"));
      HttpResponse<String> refused = browser.submit(pub.resolve(action(signIn.body(), "password")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(signIn.body(), "csrf_token")) + "&identifier=page%40example.com"
          + "&password=wrong-password&method=password");
      assertTrue(refused.body().contains("data-id=\"4000006\""), "Kratos' message on the page: " + refused.body());
      HttpResponse<String> signedIn = browser.submit(pub.resolve(action(refused.body(), "password")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(refused.body(), "csrf_token")) + "&identifier=page%40example.com"
          + "&password=" + TestBrowser.enc("correct horse staple battery") + "&method=password");
      assertTrue(signedIn.body().contains("Signed in as"), signedIn.body());
    }
  }

  @Test
  void recoveryWhenCodeFromTheMailThenSettingsWithAPrivilegedSessionAndTheNewPasswordSignsIn() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SELFSERVICE_FLOWS_RECOVERY_ENABLED", "true")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      URI pub = s.publicUrl();
      assertEquals(201, browser.send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/identities"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":"
              + "\"lost@example.com\"},\"credentials\":{\"password\":{\"config\":{\"password\":"
              + "\"an old forgotten password\"}}}}"))).statusCode());

      HttpResponse<String> recovery = browser.open(pub.resolve("/recovery"));
      secureHeaders(recovery);
      HttpResponse<String> sent = browser.submit(pub.resolve(action(recovery.body(), "code")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(recovery.body(), "csrf_token")) + "&email=lost%40example.com&method=code");
      assertTrue(sent.body().contains("name=\"code\""), "the page asks for the mailed code: " + sent.body());
      String mail = io.ory4j.core.json.OryJson.create().readTree(browser.send(HttpRequest.newBuilder(
          s.adminUrl().resolve("/admin/courier/messages"))).body()).get(0).path("body").asText();
      Matcher code = Pattern.compile("\\b(\\d{6})\\b").matcher(mail);
      assertTrue(code.find(), "the recovery mail carries a code: " + mail);
      HttpResponse<String> settings = browser.submit(pub.resolve(action(sent.body(), "code")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(sent.body(), "csrf_token")) + "&code=" + code.group(1) + "&method=code");
      assertTrue(settings.uri().getPath().equals("/settings"), "recovery continues in the settings: " + settings.uri());
      HttpResponse<String> changed = browser.submit(pub.resolve(action(settings.body(), "password")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(settings.body(), "csrf_token")) + "&password="
          + TestBrowser.enc("a brand new passphrase") + "&method=password");
      assertEquals(200, changed.statusCode(), changed.body());

      TestBrowser fresh = new TestBrowser();
      HttpResponse<String> signIn = fresh.open(pub.resolve("/login"));
      HttpResponse<String> signedIn = fresh.submit(pub.resolve(action(signIn.body(), "password")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(signIn.body(), "csrf_token")) + "&identifier=lost%40example.com"
          + "&password=" + TestBrowser.enc("a brand new passphrase") + "&method=password");
      assertTrue(signedIn.body().contains("Signed in as <b id=\"who\">lost@example.com</b>"), signedIn.body());
    }
  }
}
