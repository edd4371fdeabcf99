package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Script injection on the self-service pages, with WebAuthn and passkeys on (their pages carry script nodes and
 * inline {@code onclick} handlers): a trait value of {@code "><script>...} comes back escaped, both on a refused
 * registration and in the settings' profile form; every page's scripts are external ({@code src}), its only inline
 * handlers are the flow's {@code onclick}s, and its content security policy allows exactly those by SHA-256 hash
 * ({@code 'unsafe-hashes'}), never {@code 'unsafe-inline'} or {@code 'unsafe-eval'}.
 */
class ScriptInjectionTest extends ServerTest {
  private static final String HOSTILE = "\"><script>alert(1)</script>";
  private static final Pattern ONCLICK = Pattern.compile("\\sonclick=\"([^\"]*)\"");

  @Override
  Map<String, String> settings() {
    return Map.of("SERVE_PUBLIC_HOST", "localhost", "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true",
        "SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true");
  }

  @Test
  void pagesWhenHostileTraitsThenEscapedAndPolicyAllowsOnlyThePagesOwnHandlers() throws Exception {
    Map<String, HttpResponse<String>> pages = new LinkedHashMap<>();
    TestBrowser anonymous = new TestBrowser();
    pages.put("/login", anonymous.open(f.pub.resolve("/login")));
    HttpResponse<String> registration = anonymous.open(f.pub.resolve("/registration"));
    pages.put("/registration", registration);
    // refused (not an email address): the flow comes back with the values as typed
    HttpResponse<String> refused = register(anonymous, registration, HOSTILE);
    assertTrue(refused.body().contains("class=\"message error\""), refused.body());
    pages.put("refused registration", refused);

    TestBrowser user = new TestBrowser();
    HttpResponse<String> signedUp = register(user, user.open(f.pub.resolve("/registration")), "xss@example.com");
    assertTrue(signedUp.body().contains("xss@example.com"), signedUp.body());
    HttpResponse<String> settings = user.open(f.pub.resolve("/settings"));
    assertTrue(settings.body().contains("name=\"traits.name.first\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/"
        + "script&gt;\""), settings.body());
    pages.put("/settings", settings);

    for (Map.Entry<String, HttpResponse<String>> p : pages.entrySet()) {
      String html = p.getValue().body();
      assertEquals(200, p.getValue().statusCode(), p.getKey() + ": " + html);
      assertFalse(html.contains("<script>alert"), p.getKey() + " runs the trait: " + html);
      assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find(), p.getKey() + " has an inline "
          + "script: " + html);
      assertFalse(Pattern.compile("\\son(?!click=)[a-z]+=").matcher(html).find(), p.getKey() + " has another "
          + "inline handler: " + html);
      String csp = p.getValue().headers().firstValue("Content-Security-Policy").orElse("");
      assertFalse(csp.contains("'unsafe-inline'") || csp.contains("'unsafe-eval'"), p.getKey() + ": " + csp);
      Set<String> handlers = new TreeSet<>();
      Matcher m = ONCLICK.matcher(html);
      while (m.find()) {
        handlers.add("'sha256-" + sha256(unescape(m.group(1))) + "'");
      }
      Set<String> allowed = new TreeSet<>();
      Matcher h = Pattern.compile("'sha256-[^']+'").matcher(csp);
      while (h.find()) {
        allowed.add(h.group());
      }
      assertEquals(handlers, allowed, p.getKey() + ": the policy allows exactly the page's handlers: " + csp);
      assertEquals(!handlers.isEmpty(), csp.contains("'unsafe-hashes'"), p.getKey() + ": " + csp);
    }
    assertTrue(pages.get("/login").body().contains(" onclick="), "the passkey button has its handler");
    assertTrue(pages.get("/settings").body().contains(" onclick="), "the security key button has its handler");
  }

  /** Submits the registration page's password form with {@code email} and the hostile first name. */
  private HttpResponse<String> register(TestBrowser b, HttpResponse<String> page, String email) throws Exception {
    Matcher action = Pattern.compile("action=\"([^\"]*)\" data-group=\"password\"").matcher(page.body());
    assertTrue(action.find(), page.body());
    return b.submit(URI.create(action.group(1).replace("&amp;", "&")), "csrf_token="
        + TestBrowser.enc(TestBrowser.field(page.body(), "csrf_token")) + "&traits.email=" + TestBrowser.enc(email)
        + "&traits.name.first=" + TestBrowser.enc(HOSTILE) + "&password="
        + TestBrowser.enc(SecurityFixture.PASSWORD + "!") + "&method=password");
  }

  private static String unescape(String attribute) {
    return attribute.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  private static String sha256(String s) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
