package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import io.ory4j.testkit.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The whole example in a real browser (Debian's headless Chromium, through its ChromeDriver and Selenium): sign up,
 * verify the address with the code from the mail, sign in, enable TOTP, sign out and in again with the password and
 * the TOTP code, write a post on the blog page, let the third-party client in, which writes through the API with its
 * token, and be refused deleting another user's post. Skipped, saying why, where Chromium is not installed.
 */
class BrowserEndToEndTest {
  private static final String PASSWORD = "correct horse staple battery";

  @TempDir
  Path data;

  @TempDir
  Path profile;

  private final OryJson json = OryJson.create();
  private final HttpClient http = HttpClient.newHttpClient();
  /** The server's clock: the test moves it to the next TOTP step, as a code is good once (no waiting for time). */
  private final TestClock clock = new TestClock(Instant.now());

  @Test
  void browserWhenWholeStoryThenEveryStepAsTheRulesAndPoliciesSay() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SELFSERVICE_FLOWS_VERIFICATION_ENABLED", "true")).build();
    try (ExampleServer s = ExampleServer.start(config, clock)) {
      HeadlessChromium.run(profile, (browser, wait) -> story(s, browser, wait));
    }
  }

  private void story(ExampleServer s, WebDriver browser, WebDriverWait wait) throws Exception {
    URI pub = s.publicUrl();
    String email = "reader@example.com";

    // sign up
    browser.get(pub.resolve("/registration").toString());
    form(browser, "password").findElement(By.name("traits.email")).sendKeys(email);
    form(browser, "password").findElement(By.name("password")).sendKeys(PASSWORD);
    submit(form(browser, "password"), "method");
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));

    // verify the address with the code the courier queued
    browser.get(pub.resolve("/verification").toString());
    java.util.Set<String> before = messageIds(s.adminUrl());
    form(browser, "code").findElement(By.name("email")).sendKeys(email);
    submit(form(browser, "code"), "method");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("code")));
    form(browser, "code").findElement(By.name("code")).sendKeys(mailedCode(s.adminUrl(), email, before));
    submit(form(browser, "code"), "method");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.className("done")));
    assertTrue(json.readTree(get(s.adminUrl().resolve("/admin/identities"))).get(0).path("verifiable_addresses")
        .get(0).path("verified").asBoolean(), "the address is verified");

    // enable TOTP in the settings
    browser.get(pub.resolve("/settings").toString());
    String secret = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("totp_secret_key"))).getText();
    form(browser, "totp").findElement(By.name("totp_code")).sendKeys(totp(secret));
    submit(form(browser, "totp"), "method");
    // with a second factor set up, an aal1 session is sent to complete it (Kratos' highest_available)
    clock.advance(Duration.ofSeconds(30));
    secondFactorIfAsked(browser, wait, secret);
    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("totp_unlink")));

    // sign out (the home page, or the second-factor step it sends an aal1 session to), and in again: the password,
    // then the TOTP code (the session must reach aal2)
    browser.get(pub.toString());
    wait.until(ExpectedConditions.presenceOfElementLocated(By.id("logout"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "You are not signed in"));
    browser.get(pub.resolve("/login?return_to=" + TestBrowser.enc(pub.toString())).toString());
    form(browser, "password").findElement(By.name("identifier")).sendKeys(email);
    form(browser, "password").findElement(By.name("password")).sendKeys(PASSWORD);
    submit(form(browser, "password"), "method");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.name("totp_code")));
    clock.advance(Duration.ofSeconds(30));
    form(browser, "totp").findElement(By.name("totp_code")).sendKeys(totp(secret));
    submit(form(browser, "totp"), "method");
    wait.until(ExpectedConditions.textToBe(By.id("who"), email));
    assertTrue(browser.findElement(By.tagName("body")).getText().contains("(aal2)"), "signed in with two factors");

    // write a post on the blog page
    browser.get(pub.resolve("/blog").toString());
    browser.findElement(By.id("title")).sendKeys("Written in Chromium");
    browser.findElement(By.id("publish")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Published."));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("posts"), "Written in Chromium"));

    // the third-party client: the user, already signed in, only consents in this browser
    DemoClient.Result client = new DemoClient(pub, s.adminUrl(), Duration.ofSeconds(60)).run(url -> {
      browser.get(url.toString());
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("button[value=allow]"))).click();
      wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("body"), "Signed in."));
    });
    assertEquals(201, client.status(), client.post().toString());

    // another user's post: this user may not delete it
    String other = otherUsersPost(pub);
    browser.get(pub.resolve("/blog").toString());
    WebElement item = wait.until(ExpectedConditions.presenceOfElementLocated(
        By.cssSelector("li[data-id='" + other + "']")));
    item.findElement(By.className("delete")).click();
    wait.until(ExpectedConditions.textToBe(By.id("status"), "Refused (403)."));
    assertTrue(browser.findElement(By.id("posts")).getText().contains("Posted by the demo client"));
  }

  /** Answers the second-factor step when the page is one (after the current TOTP step's code). */
  private void secondFactorIfAsked(WebDriver browser, WebDriverWait wait, String secret) throws Exception {
    wait.until(d -> !d.findElements(By.name("totp_unlink")).isEmpty() || !d.findElements(By.cssSelector(
        "form[data-group='totp'] input[name='totp_code']")).isEmpty() && d.getCurrentUrl().contains("/login"));
    if (browser.getCurrentUrl().contains("/login")) {
      form(browser, "totp").findElement(By.name("totp_code")).sendKeys(totp(secret));
      submit(form(browser, "totp"), "method");
    }
  }

  /** The form of a node group on the current page. */
  private static WebElement form(WebDriver browser, String group) {
    return browser.findElement(By.cssSelector("form[data-group='" + group + "']"));
  }

  private static void submit(WebElement form, String name) {
    form.findElement(By.cssSelector("button[name='" + name + "']")).click();
  }

  private String get(URI url) throws Exception {
    return http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The ids of the courier's messages so far (admin API). */
  private java.util.Set<String> messageIds(URI admin) throws Exception {
    java.util.Set<String> ids = new java.util.HashSet<>();
    json.readTree(get(admin.resolve("/admin/courier/messages"))).forEach(m -> ids.add(m.path("id").asText()));
    return ids;
  }

  /** The code in the one mail to {@code email} that is not among {@code before} (admin API). */
  private String mailedCode(URI admin, String email, java.util.Set<String> before) throws Exception {
    JsonNode messages = json.readTree(get(admin.resolve("/admin/courier/messages")));
    for (JsonNode m : messages) {
      Matcher digits = Pattern.compile("\\b(\\d{6})\\b").matcher(m.path("body").asText());
      if (!before.contains(m.path("id").asText()) && email.equals(m.path("recipient").asText()) && digits.find()) {
        return digits.group(1);
      }
    }
    throw new AssertionError("no new mail with a code to " + email + ": " + messages);
  }

  /** Another user, signed up through the API, writes a post; answers its id. */
  private String otherUsersPost(URI pub) throws Exception {
    JsonNode flow = json.readTree(get(pub.resolve("/self-service/registration/api")));
    assertTrue(flow.hasNonNull("id"), "a registration flow: " + flow);
    JsonNode reg = json.readTree(http.send(HttpRequest.newBuilder(pub.resolve("/self-service/registration?flow="
        + flow.get("id").asText())).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
        .ofString("{\"method\":\"password\",\"password\":\"" + PASSWORD + "\",\"traits\":{\"email\":"
            + "\"writer@example.com\"}}")).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertTrue(reg.hasNonNull("session_token"), "a session from the registration: " + reg);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(pub.resolve("/api/posts"))
        .header("Content-Type", "application/json").header("Cookie", "ory_kratos_session="
            + reg.get("session_token").asText()).POST(HttpRequest.BodyPublishers.ofString(
            "{\"title\":\"Not yours\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, post.statusCode(), post.body());
    return json.readTree(post.body()).get("id").asText();
  }

  /** RFC 6238 with the defaults Kratos uses (HMAC-SHA1, 30 s, six digits), at the server clock's time. */
  private String totp(String base32) throws Exception {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    String clean = base32.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
    byte[] key = new byte[clean.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (char c : clean.toCharArray()) {
      buffer = (buffer << 5) | alphabet.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        key[n++] = (byte) (buffer >> (bits - 8));
        bits -= 8;
      }
    }
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(key, "HmacSHA1"));
    byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(clock.instant().getEpochSecond() / 30).array());
    int o = h[h.length - 1] & 0xf;
    int code = ((h[o] & 0x7f) << 24 | (h[o + 1] & 0xff) << 16 | (h[o + 2] & 0xff) << 8 | (h[o + 3] & 0xff)) % 1_000_000;
    return String.format("%06d", code);
  }
}
