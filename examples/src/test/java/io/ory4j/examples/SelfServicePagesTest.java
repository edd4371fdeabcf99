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
}
