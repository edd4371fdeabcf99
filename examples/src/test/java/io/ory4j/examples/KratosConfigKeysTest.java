package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ory4j.core.config.ConfigException;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kratos configuration keys the example server reads for hooks, the password policy, hashers and whoami. */
class KratosConfigKeysTest {

  private static final OryJson JSON = OryJson.create();
  private final HttpClient client = HttpClient.newHttpClient();

  @TempDir
  Path data;

  private OryConfig config(Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4"));
    env.putAll(extra);
    return OryConfig.builder().environment(env).build();
  }

  private JsonNode flow(ExampleServer s, String kind, String body, int status) throws Exception {
    JsonNode flow = JSON.readTree(client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/self-service/" + kind
        + "/api")).build(), HttpResponse.BodyHandlers.ofString()).body());
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/self-service/" + kind
        + "?flow=" + flow.get("id").asText())).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static String register(String email, String password) {
    return "{\"method\":\"password\",\"password\":\"" + password + "\",\"traits\":{\"email\":\"" + email + "\"}}";
  }

  private static String login(String email, String password) {
    return "{\"method\":\"password\",\"password\":\"" + password + "\",\"identifier\":\"" + email + "\"}";
  }

  private int whoami(ExampleServer s, String token) throws Exception {
    return client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/sessions/whoami")).header("X-Session-Token",
        token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The web hook body template the tests configure. */
  private static final String BODY = "base64://" + Base64.getEncoder().encodeToString(
      "function(ctx) { email: ctx.identity.traits.email }".getBytes(StandardCharsets.UTF_8));

  /** A web hook receiver: keeps each request body, answers 204, or 200 with {@code answer} when there is one. */
  private static HttpServer hookTarget(BlockingQueue<String> received, String answer) throws Exception {
    HttpServer hookTarget = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hookTarget.createContext("/", ex -> {
      received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(out.length == 0 ? 204 : 200, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    hookTarget.start();
    return hookTarget;
  }

  /** A hook list with one web hook to {@code target}'s {@code path}, with extra config fields. */
  private static String webHooks(HttpServer target, String path, String extra) {
    return "[{\"hook\":\"web_hook\",\"config\":{\"url\":\"http://127.0.0.1:" + target.getAddress().getPort()
        + path + "\",\"body\":\"" + BODY + "\"" + extra + "}}]";
  }

  @Test
  void hooksWhenSetFromTheEnvironmentThenRegistrationAndLoginFollowThem() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpServer hookTarget = hookTarget(received, "");
    try (ExampleServer s = ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS", webHooks(hookTarget, "/registered", ""),
        "SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS", "[{\"hook\":\"revoke_active_sessions\"}]",
        "SELFSERVICE_METHODS_PASSWORD_CONFIG_MIN_PASSWORD_LENGTH", "12")))) {
      JsonNode reg = flow(s, "registration", register("ada@example.com", "correct horse staple"), 200);
      assertFalse(reg.has("session_token"), "without the session hook a registration signs nobody in");
      assertEquals("{\"email\":\"ada@example.com\"}", received.poll(10, TimeUnit.SECONDS));
      JsonNode weak = flow(s, "registration", register("bob@example.com", "short pass"), 400);
      assertEquals(4000005, weak.get("ui").get("messages").get(0).get("id").asInt(), "min_password_length 12");

      String first = flow(s, "login", login("ada@example.com", "correct horse staple"), 200).get("session_token")
          .asText();
      String second = flow(s, "login", login("ada@example.com", "correct horse staple"), 200).get("session_token")
          .asText();
      assertEquals(401, whoami(s, first), "revoke_active_sessions");
      assertEquals(200, whoami(s, second));
    } finally {
      hookTarget.stop(0);
    }
  }

  @Test
  void methodHooksWhenSetFromTheEnvironmentThenSettingsProfileRunsItsParsingHookBeforeStoring() throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    HttpServer hookTarget = hookTarget(received, "{\"identity\":{\"metadata_public\":{\"plan\":\"pro\"}}}");
    try (ExampleServer s = ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_SETTINGS_AFTER_PROFILE_HOOKS", webHooks(hookTarget, "/profile",
            ",\"response\":{\"parse\":true}"))))) {
      String token = flow(s, "registration", register("ada@example.com", "correct horse staple"), 200)
          .get("session_token").asText();
      JsonNode settings = JSON.readTree(client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/settings/api")).header("X-Session-Token", token).build(), HttpResponse.BodyHandlers
          .ofString()).body());
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(settings.at("/ui/action").asText()))
          .header("X-Session-Token", token).header("Content-Type", "application/json").POST(HttpRequest
          .BodyPublishers.ofString("{\"method\":\"profile\",\"traits\":{\"email\":\"ada@example.com\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("pro", JSON.readTree(r.body()).at("/identity/metadata_public/plan").asText(), r.body());
      assertEquals("{\"email\":\"ada@example.com\"}", received.poll(10, TimeUnit.SECONDS));
    } finally {
      hookTarget.stop(0);
    }
    ConfigException bad = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_LOGIN_AFTER_TOTP_HOOKS", "[{\"hook\":\"session\"}]"))));
    assertTrue(bad.getMessage().contains("SELFSERVICE_FLOWS_LOGIN_AFTER_TOTP_HOOKS"), bad.getMessage());
    ConfigException settings = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_SETTINGS_AFTER_TOTP_HOOKS", "[{\"hook\":\"require_verified_address\"}]"))));
    assertTrue(settings.getMessage().contains("SELFSERVICE_FLOWS_SETTINGS_AFTER_TOTP_HOOKS"), settings.getMessage());
  }

  @Test
  void defaultsWhenNothingSetThenRegistrationSignsInAsTheExampleDid() throws Exception {
    try (ExampleServer s = ExampleServer.start(config(Map.of()))) {
      JsonNode reg = flow(s, "registration", register("ada@example.com", "correct horse staple"), 200);
      assertEquals(200, whoami(s, reg.get("session_token").asText()));
    }
  }

  @Test
  void startWhenOidcProvidersConfiguredThenLoginFlowsOfferThem() throws Exception {
    String providers = "[{\"id\":\"hydra\",\"provider\":\"generic\",\"issuer_url\":\"https://hydra.example\","
        + "\"client_id\":\"kratos\",\"client_secret\":\"s\",\"label\":\"Hydra\","
        + "\"claims_to_traits\":{\"/email\":\"/email\"}}]";
    try (ExampleServer s = ExampleServer.start(config(Map.of("SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS", providers)))) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(s.publicUrl().resolve("/self-service/login/browser"))
          .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains("\"group\":\"oidc\"") && r.body().contains("Sign in with Hydra"), r.body());
    }
    ConfigException bad = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS", "[{\"id\":\"g\",\"provider\":\"github\"}]"))));
    assertTrue(bad.getMessage().contains("SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS"), bad.getMessage());
  }

  @Test
  void startWhenHookConfigInvalidThenConfigExceptionNamesTheVariable() {
    ConfigException bad = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS", "[{\"hook\":\"session\"}]"))));
    assertTrue(bad.getMessage().contains("SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS"), bad.getMessage());
    assertTrue(bad.getMessage().contains("\"session\" is not available"), bad.getMessage());
    ConfigException template = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_REGISTRATION_AFTER_HOOKS", "[{\"hook\":\"web_hook\",\"config\":{\"url\":"
            + "\"https://h.example\",\"body\":\"base64://" + Base64.getEncoder().encodeToString(
                "function(ctx) std.extVar('x')".getBytes(StandardCharsets.UTF_8)) + "\"}}]"))));
    assertTrue(template.getMessage().contains("std.extVar is not supported"), template.getMessage());
    assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of("SESSION_WHOAMI_REQUIRED_AAL",
        "aal3"))));
    ConfigException settingsAal = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL", "aal2"))));
    assertTrue(settingsAal.getMessage().contains("SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL"), settingsAal.getMessage());
    ConfigException recovery = assertThrows(ConfigException.class, () -> ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_RECOVERY_USE", "carrier-pigeon"))));
    assertTrue(recovery.getMessage().contains("SELFSERVICE_FLOWS_RECOVERY_USE"), recovery.getMessage());
  }

  @Test
  void hasherWhenArgon2KeysSetThenTheirParameters() {
    assertEquals(131072, ExampleServer.kibibytes("128MB"));
    assertEquals(65536, ExampleServer.kibibytes("65536KB"));
    assertEquals(1048576, ExampleServer.kibibytes("1GB"));
    assertThrows(ConfigException.class, () -> ExampleServer.kibibytes("lots"));
    String hash = ExampleServer.hasher(config(Map.of("HASHERS_ALGORITHM", "argon2", "HASHERS_ARGON2_MEMORY", "16MB",
        "HASHERS_ARGON2_ITERATIONS", "2", "HASHERS_ARGON2_PARALLELISM", "1"))).hash("pw".getBytes(
            StandardCharsets.UTF_8));
    assertTrue(hash.startsWith("$argon2id$v=19$m=16384,t=2,p=1$"), hash);
    ConfigException tooBig = assertThrows(ConfigException.class, () -> ExampleServer.hasher(config(Map.of(
        "HASHERS_ALGORITHM", "argon2", "HASHERS_ARGON2_MEMORY", "4GB"))));
    assertTrue(tooBig.getMessage().contains("hashers.argon2"), tooBig.getMessage());
  }

  @Test
  void verificationWhenEnabledWithSmtpThenTheCodeFromTheMailVerifies() throws Exception {
    com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
        com.icegreen.greenmail.util.ServerSetup.SMTP.dynamicPort());
    smtp.start();
    try (ExampleServer s = ExampleServer.start(config(Map.of(
        "SELFSERVICE_FLOWS_VERIFICATION_ENABLED", "true", "SELFSERVICE_FLOWS_RECOVERY_ENABLED", "true",
        "COURIER_SMTP_CONNECTION_URI", "smtp://127.0.0.1:" + smtp.getSmtp().getPort() + "/?disable_starttls=true",
        "COURIER_SMTP_FROM_ADDRESS", "accounts@example.com")))) {
      JsonNode reg = flow(s, "registration", register("ada@example.com", "correct horse staple"), 200);
      JsonNode show = reg.get("continue_with").get(0);
      assertEquals("show_verification_ui", show.get("action").asText(), "registration starts verification");
      JsonNode f = JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(show.get("flow").get("url").asText()))
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals("sent_email", f.get("state").asText());
      assertTrue(smtp.waitForIncomingEmail(20_000, 1), "the courier's watcher sends the queued mail");
      jakarta.mail.internet.MimeMessage mail = smtp.getReceivedMessages()[0];
      assertEquals("accounts@example.com", mail.getFrom()[0].toString());
      String text = com.icegreen.greenmail.util.GreenMailUtil.getBody(((jakarta.mail.internet.MimeMultipart)
          mail.getContent()).getBodyPart(0));
      java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(text);
      assertTrue(code.find(), text);
      HttpResponse<String> done = client.send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/verification?flow=" + f.get("id").asText())).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"method\":\"code\",\"code\":\"" + code.group(1) + "\"}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals("passed_challenge", JSON.readTree(done.body()).get("state").asText(), done.body());
      JsonNode identities = JSON.readTree(client.send(HttpRequest.newBuilder(s.adminUrl().resolve(
          "/admin/identities")).build(), HttpResponse.BodyHandlers.ofString()).body());
      assertTrue(identities.get(0).get("verifiable_addresses").get(0).get("verified").asBoolean());
      HttpResponse<String> adminCode = client.send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/recovery/code"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"identity_id\":\""
              + identities.get(0).get("id").asText() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, adminCode.statusCode(), adminCode.body());
      assertTrue(JSON.readTree(adminCode.body()).get("recovery_link").asText().startsWith(s.publicUrl()
          + "self-service/recovery?flow="));
    } finally {
      smtp.stop();
    }
  }
  @Test
  void webAuthnAndPasskeyKeysWhenSetThenRelyingPartiesElseOffAndBadValuesNamed() {
    assertFalse(ExampleServer.webAuthn(config(Map.of())).enabled());
    assertFalse(ExampleServer.passkey(config(Map.of())).enabled());
    io.ory4j.identity.WebAuthnSettings w = ExampleServer.webAuthn(config(Map.of(
        "SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true", "SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID", "example.com",
        "SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME", "Example",
        "SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGIN", "https://auth.example.com",
        "SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS", "true")));
    assertTrue(w.enabled());
    assertTrue(w.passwordless());
    assertEquals(java.util.List.of("https://auth.example.com"), w.origins());
    io.ory4j.identity.WebAuthnSettings p = ExampleServer.passkey(config(Map.of(
        "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true", "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ID", "example.com",
        "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS", "[\"https://a.example.com\",\"https://b.example.com\"]")));
    assertEquals(2, p.origins().size());
    assertEquals("example.com", p.rpDisplayName(), "the display name defaults to the RP id");
    ConfigException bad = assertThrows(ConfigException.class, () -> ExampleServer.passkey(config(Map.of(
        "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true", "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ID", "example.com",
        "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS", "[\"https://a.example.com/login\"]"))));
    assertEquals("selfservice.methods.passkey.config.rp.origins", bad.key());
    assertEquals("selfservice.methods.webauthn.config.rp.id", assertThrows(ConfigException.class,
        () -> ExampleServer.webAuthn(config(Map.of("SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true")))).key());
  }

  @Test
  void webAuthnAndPasskeyWhenNoRelyingPartySetThenThePublicUrlIsItsIdAndOriginButNotAnIpAddress() {
    Map<String, String> on = Map.of("SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true",
        "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true");
    java.net.URI local = java.net.URI.create("http://localhost:4433");
    io.ory4j.identity.WebAuthnSettings w = ExampleServer.webAuthn(config(on), local);
    assertEquals("localhost", w.rpId());
    assertEquals(java.util.List.of("http://localhost:4433"), w.origins());
    io.ory4j.identity.WebAuthnSettings p = ExampleServer.passkey(config(on), local);
    assertEquals("localhost", p.rpId());
    assertEquals(java.util.List.of("http://localhost:4433"), p.origins());
    // set keys win over the public URL
    assertEquals(java.util.List.of("https://auth.example.com"), ExampleServer.passkey(config(Map.of(
        "SELFSERVICE_METHODS_PASSKEY_ENABLED", "true", "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ID", "example.com",
        "SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS", "[\"https://auth.example.com\"]")), local).origins());
    // browsers take no IP address as the relying party's id: refused at start, naming the key
    ConfigException ip = assertThrows(ConfigException.class, () -> ExampleServer.passkey(config(on),
        java.net.URI.create("http://127.0.0.1:4433")));
    assertEquals("selfservice.methods.passkey.config.rp.id", ip.key());
    assertTrue(ip.getMessage().contains("SERVE_PUBLIC_HOST=localhost"), ip.getMessage());
    assertEquals("selfservice.methods.webauthn.config.rp.id", assertThrows(ConfigException.class,
        () -> ExampleServer.webAuthn(config(Map.of("SELFSERVICE_METHODS_WEBAUTHN_ENABLED", "true",
            "SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID", "[::1]")), local)).key());
    assertFalse(ExampleServer.passkey(config(Map.of()), java.net.URI.create("http://127.0.0.1:4433")).enabled(),
        "off stays off whatever the public URL");
  }
}
