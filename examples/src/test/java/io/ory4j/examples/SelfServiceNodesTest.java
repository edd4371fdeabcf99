package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the example's pages render the nodes beyond plain inputs (WebAuthn's script node, buttons with {@code onclick},
 * hidden inputs with {@code onloadTrigger}, the TOTP QR image, social sign-in buttons), with every value escaped and
 * a content security policy that allows exactly the handlers the page carries.
 */
class SelfServiceNodesTest {
  private static final OryJson JSON = OryJson.create();
  private static final String HOSTILE = "\"><script>alert(1)</script>";

  @TempDir
  Path data;

  private final TestBrowser browser = new TestBrowser();

  private static JsonNode ui(String nodes) {
    return JSON.readTree("{\"action\":\"http://localhost/self-service/registration?flow=1\",\"method\":\"POST\","
        + "\"nodes\":" + nodes + "}");
  }

  private static String input(String group, String name, String type, String value) {
    return "{\"type\":\"input\",\"group\":\"" + group + "\",\"attributes\":{\"name\":\"" + name + "\",\"type\":\""
        + type + "\",\"value\":\"" + value + "\"},\"meta\":{}}";
  }

  /** The inner HTML of the form of {@code group}. */
  private static String form(String html, String group) {
    Matcher m = Pattern.compile("data-group=\"" + group + "\">(.*?)</form>").matcher(html);
    assertTrue(m.find(), "no " + group + " form in " + html);
    return m.group(1);
  }

  @Test
  void renderWhenLoginHasPasswordlessKeyPasskeyAndSocialThenEachFormPostsWhatItsMethodNeeds() {
    String nodes = "[" + String.join(",", input("default", "csrf_token", "hidden", "t"),
        input("password", "identifier", "text", ""), input("password", "password", "password", ""),
        input("password", "method", "submit", "password"), input("webauthn", "method", "submit", "webauthn"),
        input("passkey", "passkey_login", "hidden", ""), input("oidc", "provider", "submit", "github")) + "]";
    StringBuilder html = new StringBuilder();
    SelfServiceUi.renderForms(html, ui(nodes));
    String page = html.toString();
    // the passwordless security key's first step posts the identifier with method=webauthn
    assertTrue(form(page, "webauthn").contains("name=\"identifier\""), page);
    assertTrue(form(page, "webauthn").contains("<button type=\"submit\" name=\"method\" value=\"webauthn\">"));
    // a passkey sign-in is discoverable (no identifier), social sign-in sends only the provider
    assertFalse(form(page, "passkey").contains("identifier"), page);
    assertFalse(form(page, "oidc").contains("identifier"), page);
    assertTrue(form(page, "oidc").contains("<button type=\"submit\" name=\"provider\" value=\"github\">github"
        + "</button>"), page);
    assertTrue(form(page, "oidc").contains("name=\"csrf_token\" value=\"t\""), "every form has the CSRF token");
  }

  private static String sha256(String s) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void renderWhenNodeValuesHostileThenEveryValueEscapedAndNothingRuns() throws Exception {
    String onclick = "window.__oryWebAuthnLogin({\"a\":\"" + "\\\"><img src=x onerror=alert(2)>" + "\"})";
    String nodes = "[{\"type\":\"input\",\"group\":\"webauthn\",\"attributes\":{\"name\":\"webauthn_login_trigger\","
        + "\"type\":\"button\",\"value\":" + JSON.write(JSON.object().put("v", HOSTILE).path("v"))
        + ",\"onclick\":" + JSON.write(JSON.object().put("v", onclick).path("v"))
        + ",\"onclickTrigger\":\"alert(3)\"},\"meta\":{\"label\":{\"text\":" + JSON.write(JSON.object()
        .put("v", HOSTILE).path("v")) + "}}},"
        + "{\"type\":\"input\",\"group\":\"passkey\",\"attributes\":{\"name\":\"passkey_register\",\"type\":\"hidden\","
        + "\"value\":\"\",\"onloadTrigger\":\"x();alert(4)\"}},"
        + "{\"type\":\"script\",\"group\":\"webauthn\",\"attributes\":{\"src\":\"/a.js\\\"><script>alert(5)</script>\","
        + "\"integrity\":\"sha512-AAAA' 'unsafe-inline\",\"crossorigin\":\"anonymous\",\"async\":true,"
        + "\"id\":\"webauthn_script\",\"type\":\"text/javascript\",\"nonce\":\"\"}},"
        + "{\"type\":\"img\",\"group\":\"totp\",\"attributes\":{\"id\":\"totp_qr\","
        + "\"src\":\"data:image/png;base64,x\\\""
        + " onerror=\\\"alert(6)\"},\"meta\":{\"label\":{\"text\":\"QR\"}}}]";
    StringBuilder html = new StringBuilder();
    SelfServiceUi.Scripts scripts = SelfServiceUi.renderForms(html, ui(nodes));
    String page = html.toString();

    assertFalse(page.contains("<script>alert"), page);
    assertFalse(page.contains("<img src=x"), page);
    assertFalse(page.contains("\" onerror="), page);
    assertTrue(page.contains("onclick=\"window.__oryWebAuthnLogin({&quot;a&quot;:&quot;\\&quot;&gt;&lt;img src=x "
        + "onerror=alert(2)&gt;&quot;})\""), page);
    assertTrue(page.contains("<button type=\"button\" name=\"webauthn_login_trigger\""), "a trigger is no submit");
    assertFalse(page.contains("data-onclick-trigger"), "a trigger that is not a bare name is dropped: " + page);
    assertFalse(page.contains("data-onload-trigger"), page);
    assertTrue(page.contains("<script src=\"/a.js&quot;&gt;&lt;script&gt;alert(5)&lt;/script&gt;\" "
        + "integrity=\"sha512-AAAA&#39; &#39;unsafe-inline\""), page);
    assertTrue(page.contains("src=\"data:image/png;base64,x&quot; onerror=&quot;alert(6)\""), page);
    // the policy allows the one handler by its hash, and no malformed integrity value
    assertEquals(List.of("'unsafe-hashes'", "'sha256-" + sha256(onclick) + "'"), scripts.sources());
  }

  @Test
  void pagesWhenPasskeysAndTotpThenScriptButtonsQrAndPolicyMatchAndTraitsStayInert() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_HOST", "localhost",
        "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true", "SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      URI pub = s.publicUrl();
      HttpResponse<String> signIn = browser.open(pub.resolve("/login"));
      String login = signIn.body();
      Matcher script = Pattern.compile("<script src=\"([^\"]*/\\.well-known/ory/webauthn\\.js)\" integrity=\""
          + "(sha512-[^\"]+)\" crossorigin=\"anonymous\" referrerpolicy=\"no-referrer\" type=\"text/javascript\" "
          + "id=\"webauthn_script\" async></script>").matcher(login);
      assertTrue(script.find(), login);
      String csp = signIn.headers().firstValue("Content-Security-Policy").orElse("");
      String onclick = "window.__oryPasskeyLogin()";
      assertTrue(login.contains("<button type=\"button\" name=\"passkey_login_trigger\" value=\"\" onclick=\""
          + onclick + "\" data-onclick-trigger=\"oryPasskeyLogin\">"), login);
      assertEquals("default-src 'self'; script-src 'self' 'unsafe-hashes' 'sha256-" + sha256(onclick) + "' '"
          + script.group(2) + "'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'", csp);
      // the script loads from the page's own origin, with the integrity the identity API serves it with
      HttpResponse<String> js = browser.open(URI.create(script.group(1)));
      assertEquals(200, js.statusCode());
      assertEquals(script.group(2), "sha512-" + Base64.getEncoder().encodeToString(MessageDigest
          .getInstance("SHA-512").digest(js.body().getBytes(StandardCharsets.UTF_8))));

      // registration: the passkey form posts the traits too; a hostile trait value comes back inert
      String reg = browser.open(pub.resolve("/registration")).body();
      Matcher passkeyForm = Pattern.compile("<form method=\"POST\" action=\"([^\"]*)\" data-group=\"passkey\">(.*?)"
          + "</form>").matcher(reg);
      assertTrue(passkeyForm.find(), reg);
      assertTrue(passkeyForm.group(2).contains("name=\"traits.email\""), passkeyForm.group(2));
      HttpResponse<String> step2 = browser.submit(URI.create(passkeyForm.group(1)
          .replace("&amp;", "&")), "csrf_token=" + TestBrowser.enc(TestBrowser.field(reg, "csrf_token"))
          + "&traits.email=pat%40example.com&traits.name.first=" + TestBrowser.enc(HOSTILE) + "&method=passkey");
      String second = step2.body();
      assertTrue(second.contains("name=\"passkey_register\" value=\"\" data-onload-trigger=\"oryPasskeyRegistration\""),
          second);
      assertTrue(second.contains("<script src=\"" + SelfServiceUi.PAGE_SCRIPT + "\"></script>"), second);
      assertTrue(second.contains("value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), second);
      assertFalse(second.contains("<script>alert(1)"), second);
      HttpResponse<String> pageScript = browser.open(pub.resolve(SelfServiceUi.PAGE_SCRIPT));
      assertTrue(pageScript.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
      assertTrue(pageScript.body().contains("data-onload-trigger"), pageScript.body());

      // a password user's settings: the TOTP QR code as a PNG data URL, the security key's button and script
      TestBrowser other = new TestBrowser();
      String signUp = other.open(pub.resolve("/registration")).body();
      Matcher action = Pattern.compile("action=\"([^\"]*)\" data-group=\"password\"").matcher(signUp);
      assertTrue(action.find(), signUp);
      other.submit(URI.create(action.group(1).replace("&amp;", "&")), "csrf_token="
          + TestBrowser.enc(TestBrowser.field(signUp, "csrf_token")) + "&traits.email=key%40example.com&password="
          + TestBrowser.enc("correct horse staple battery") + "&method=password");
      HttpResponse<String> settings = other.open(pub.resolve("/settings"));
      assertTrue(settings.body().contains("<p><img id=\"totp_qr\" src=\"data:image/png;base64,"), settings.body());
      assertTrue(settings.body().contains("name=\"webauthn_register_trigger\" value=\"\" onclick=\""
          + "window.__oryWebAuthnRegistration({"), settings.body());
      assertTrue(settings.headers().firstValue("Content-Security-Policy").orElse("").contains("'unsafe-hashes'"));
    }
  }
}
