package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The example's self-service pages with WebAuthn in a real browser (Debian's headless Chromium through ChromeDriver
 * and Selenium), with Chrome's virtual authenticator (CTAP2, built in, resident keys, user verification) in place of
 * a platform authenticator: sign up with a passkey and no password, sign out, sign in with the passkey; a password
 * user adds a security key as second factor in the settings (where the TOTP QR code shows as a PNG image) and
 * completes an aal2 sign-in with it; with {@code passwordless: true}, a key added in the settings signs in with the
 * identifier alone (Kratos' two-step passwordless login). Every ceremony runs the page's own script nodes and button
 * handlers under the pages' content security policy. The example is served on {@code localhost} (a secure context,
 * and a domain the relying party can be: browsers refuse an IP address as RP id), whose public URL is the RP id and
 * origin by default.
 * Skipped, saying why, where Chromium is not installed.
 */
class WebAuthnBrowserTest {
  private static final String PASSWORD = "correct horse staple battery";

  /** The server's data directory and the browser's profile. */
  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();
  private final OryJson json = OryJson.create();

  @Test
  void browserWhenPasskeyAndSecurityKeyThenSignUpSignInAndSecondFactorWork() throws Exception {
    withBrowser(Map.of("SELFSERVICE_METHODS_PASSKEY_ENABLED", "true"), (s, browser, wait, authenticator) -> {
      passkeyStory(s, browser, wait, authenticator);
      securityKeyStory(s, browser, wait, authenticator);
    });
  }

  @Test
  void browserWhenPasswordlessSecurityKeyThenIdentifierAndKeySignIn() throws Exception {
    withBrowser(Map.of("SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS", "true"), (s, browser, wait, a) -> {
      URI pub = s.publicUrl();
      String email = "nopassword@example.com";
      signUpAndAddKey(s, browser, wait, a, email);
      signOut(browser, wait, pub);
      browser.get(pub.resolve("/login").toString());
      // the first step posts the identifier with method=webauthn; the second offers that identity's keys
      form(browser, "webauthn").findElement(By.name("identifier")).sendKeys(email);
      form(browser, "webauthn").findElement(By.cssSelector("button[name='method'][value='webauthn']")).click();
      wait.until(ExpectedConditions.elementToBeClickable(By.name("webauthn_login_trigger"))).click();
      wait.until(ExpectedConditions.textToBe(By.id("who"), email));
      assertTrue(browser.findElement(By.tagName("body")).getText().contains("(aal1)"), "a first factor: aal1");
    });
  }

  /** What a test does with the started example, the browser and its virtual authenticator. */
  private interface WebAuthnStory {
    void run(ExampleServer s, WebDriver browser, WebDriverWait wait, VirtualAuthenticator authenticator)
        throws Exception;
  }

  /**
   * Starts the example on localhost with the webauthn method (and {@code extra} keys) and a browser with Chrome's
   * virtual authenticator (CTAP2, internal, resident keys, user verification), and runs {@code story}.
   */
  private void withBrowser(Map<String, String> extra, WebAuthnStory story) throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Map.of("DSN", "memory", "SERVE_PUBLIC_HOST", "localhost",
        "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT", "0", "DATA_DIR", dir.resolve("data").toString(),
        "HASHERS_BCRYPT_COST", "4", "SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true"));
    env.putAll(extra);
    try (ExampleServer s = ExampleServer.start(OryConfig.builder().environment(env).build())) {
      assertEquals("localhost", s.publicUrl().getHost());
      HeadlessChromium.run(dir.resolve("profile"), (browser, wait) -> story.run(s, browser, wait,
          ((HasVirtualAuthenticator) browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
              .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
              .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL).setHasResidentKey(true)
              .setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true))));
    }
  }

  /** Sign up with a passkey (no password), sign out, sign in with the passkey. */
  private void passkeyStory(ExampleServer s, WebDriver browser, WebDriverWait wait, VirtualAuthenticator a)
      throws Exception {
    URI pub = s.publicUrl();
    String email = "passkey@example.com";
    browser.get(pub.resolve("/registration").toString());
    // the passkey form carries the traits (its first step posts them with method=passkey); the second step's page
    // starts the ceremony on load, and the helper script submits the new credential
    form(browser, "passkey").findElement(By.name("traits.email")).sendKeys(email);
    form(browser, "passkey").findElement(By.cssSelector("button[name='method'][value='passkey']")).click();
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));
    assertEquals(1, a.getCredentials().size(), "the authenticator holds the new passkey");
    assertTrue(a.getCredentials().get(0).isResidentCredential(), "a passkey is a discoverable credential");
    JsonNode identity = identity(s.adminUrl(), email, "passkey", "password");
    assertTrue(identity.at("/credentials/passkey/identifiers/0").isTextual(), identity.toString());
    assertFalse(identity.path("credentials").has("password"), "no password: " + identity);

    signOut(browser, wait, pub);
    browser.get(pub.resolve("/login").toString());
    wait.until(ExpectedConditions.elementToBeClickable(By.name("passkey_login_trigger"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("(aal1)"), "a passkey signs in at aal1");
    signOut(browser, wait, pub);
  }

  /** A password user adds a security key in the settings, then signs in with the password and the key (aal2). */
  private void securityKeyStory(ExampleServer s, WebDriver browser, WebDriverWait wait, VirtualAuthenticator a)
      throws Exception {
    URI pub = s.publicUrl();
    String email = "key@example.com";
    signUpAndAddKey(s, browser, wait, a, email);
    JsonNode identity = identity(s.adminUrl(), email, "webauthn", "password");
    assertFalse(identity.at("/credentials/webauthn/config/credentials/0/is_passwordless").asBoolean(true),
        "a second factor: " + identity);

    signOut(browser, wait, pub);
    browser.get(pub.resolve("/login?return_to=" + TestBrowser.enc(pub.toString())).toString());
    passwordForm(browser, "identifier", email);
    // the identity has a second factor: the aal2 step offers the security key
    wait.until(ExpectedConditions.elementToBeClickable(By.name("webauthn_login_trigger"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("(aal2)"), "signed in with two factors");
  }

  /**
   * Signs up {@code email} with a password and adds a security key in the settings, where the TOTP enrolment's QR
   * code shows too.
   */
  private void signUpAndAddKey(ExampleServer s, WebDriver browser, WebDriverWait wait, VirtualAuthenticator a,
      String email) {
    URI pub = s.publicUrl();
    browser.get(pub.resolve("/registration").toString());
    passwordForm(browser, "traits.email", email);
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));

    browser.get(pub.resolve("/settings").toString());
    // the TOTP enrolment's QR code is shown: an <img> with a PNG data URL that the page's policy lets load
    WebElement qr = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totp_qr")));
    assertEquals("img", qr.getTagName());
    assertTrue(qr.getAttribute("src").startsWith("data:image/png;base64,"), qr.getAttribute("src"));
    wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript(
        "return arguments[0].complete ? arguments[0].naturalWidth : 0;", qr)).intValue() > 0);

    int before = a.getCredentials().size();
    form(browser, "webauthn").findElement(By.name("webauthn_register_displayname")).sendKeys("Desk key");
    form(browser, "webauthn").findElement(By.name("webauthn_register_trigger")).click();
    WebElement remove = wait.until(ExpectedConditions.presenceOfElementLocated(By.name("webauthn_remove")));
    assertTrue(remove.getText().contains("Desk key"), remove.getText());
    assertEquals(before + 1, a.getCredentials().size(), "the authenticator made the security key");
  }

  private static void signOut(WebDriver browser, WebDriverWait wait, URI pub) {
    browser.get(pub.toString());
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logout"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "You are not signed in"));
  }

  /** Fills the password form's identifier field ({@code traits.email} or {@code identifier}) and password; sends it. */
  private static void passwordForm(WebDriver browser, String identifierField, String email) {
    WebElement form = form(browser, "password");
    form.findElement(By.name(identifierField)).sendKeys(email);
    form.findElement(By.name("password")).sendKeys(PASSWORD);
    form.findElement(By.cssSelector("button[name='method']")).click();
  }

  /** The form of a node group on the current page. */
  private static WebElement form(WebDriver browser, String group) {
    return browser.findElement(By.cssSelector("form[data-group='" + group + "']"));
  }

  /** The identity with {@code email}, with the credentials of {@code types} (admin API). */
  private JsonNode identity(URI admin, String email, String... types) throws Exception {
    for (JsonNode i : json.readTree(get(admin.resolve("/admin/identities")))) {
      if (email.equals(i.at("/traits/email").asText())) {
        StringBuilder q = new StringBuilder();
        for (String t : List.of(types)) {
          q.append(q.length() == 0 ? '?' : '&').append("include_credential=").append(t);
        }
        return json.readTree(get(admin.resolve("/admin/identities/" + i.path("id").asText() + q)));
      }
    }
    throw new AssertionError("no identity " + email);
  }

  private String get(URI url) throws Exception {
    return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
