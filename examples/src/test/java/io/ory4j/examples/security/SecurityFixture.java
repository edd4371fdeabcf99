package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import io.ory4j.examples.ExampleServer;
import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** The example server with one user, and the steps the security tests share: clients, the code flow, the token call. */
final class SecurityFixture implements AutoCloseable {
  static final String EMAIL = "sec@example.com";
  static final String PASSWORD = "correct horse staple battery";
  static final String CALLBACK = "https://client.example.com:8443/cb";

  final ExampleServer server;
  final URI pub;
  final URI admin;
  final OryJson json = OryJson.create();
  private final TestBrowser adminBrowser = new TestBrowser();

  private SecurityFixture(ExampleServer server) {
    this.server = server;
    this.pub = server.publicUrl();
    this.admin = server.adminUrl();
  }

  /** Starts the example on free ports with an in-memory store and the given extra settings, and registers the user. */
  static SecurityFixture start(Path data, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT",
        "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4"));
    env.putAll(extra);
    SecurityFixture f = new SecurityFixture(ExampleServer.start(OryConfig.builder().environment(env).build()));
    HttpResponse<String> identity = f.adminPost("/admin/identities", "{\"traits\":{\"email\":\"" + EMAIL
        + "\"},\"credentials\":{\"password\":{\"config\":{\"password\":\"" + PASSWORD + "\"}}}}");
    assertEquals(201, identity.statusCode(), identity.body());
    return f;
  }

  HttpResponse<String> adminPost(String path, String body) throws Exception {
    return adminBrowser.send(HttpRequest.newBuilder(admin.resolve(path)).header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(body)));
  }

  /** Registers a client from its JSON and answers the created client (with its secret). */
  JsonNode client(String clientJson) throws Exception {
    HttpResponse<String> created = adminPost("/admin/clients", clientJson);
    assertEquals(201, created.statusCode(), created.body());
    return json.readTree(created.body());
  }

  /** A confidential client ({@code client_secret_basic}) with {@link #CALLBACK} as its only redirect URI. */
  JsonNode confidentialClient() throws Exception {
    return client("{\"client_name\":\"Sec app\",\"redirect_uris\":[\"" + CALLBACK + "\"],\"grant_types\":"
        + "[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],\"scope\":\"openid offline\","
        + "\"post_logout_redirect_uris\":[\"https://client.example.com:8443/bye\"],"
        + "\"token_endpoint_auth_method\":\"client_secret_basic\"}");
  }

  /**
   * Runs {@code /oauth2/auth} with the query in a fresh browser, signs the user in through ory-identity's login flow
   * (the provider remembers the login for the session's life) and allows consent on the provider's page, and
   * answers the redirect that leaves the server (the client's callback with the code).
   */
  URI authorize(String query) throws Exception {
    HttpResponse<String> back = authorize(new TestBrowser(), query);
    return URI.create(back.headers().firstValue("Location").orElseThrow(() -> new AssertionError(back.statusCode()
        + " " + back.body())));
  }

  /** The same in the given browser, answering the last response of the server (a redirect or a form_post page). */
  HttpResponse<String> authorize(TestBrowser b, String query) throws Exception {
    HttpResponse<String> r = b.followWithin(pub, b.send(HttpRequest.newBuilder(pub.resolve("/oauth2/auth?"
        + query))));
    if (r.statusCode() == 200 && r.body().contains("/self-service/login?flow=")) {
      // no session yet: ory-identity's login flow (the example's /login page), back through the login challenge
      r = b.signIn(r, EMAIL, PASSWORD);
    }
    if (r.statusCode() == 200 && r.body().contains("name=\"decision\"")) {
      r = b.followWithin(pub, b.send(form(pub.resolve("/ui/consent"), "challenge="
          + TestBrowser.enc(TestBrowser.field(r.body(), "challenge")) + "&csrf_token="
          + TestBrowser.enc(TestBrowser.field(r.body(), "csrf_token")) + "&decision=allow")));
    }
    return r;
  }

  /** The code of a callback URI. */
  static String code(URI callback) {
    String q = callback.getRawQuery();
    assertTrue(q != null && q.contains("code="), "no code in " + callback);
    return q.replaceAll(".*(?:^|&)code=([^&]+).*", "$1");
  }

  /** A token request with {@code client_secret_basic} (or none when {@code secret} is null). */
  HttpResponse<String> token(String clientId, String secret, String body) throws Exception {
    HttpRequest.Builder b = form(pub.resolve("/oauth2/token"), body);
    if (secret != null) {
      b.header("Authorization", basic(clientId, secret));
    }
    return new TestBrowser().send(b);
  }

  static String basic(String id, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((TestBrowser.enc(id) + ":" + TestBrowser.enc(secret))
        .getBytes(StandardCharsets.UTF_8));
  }

  static HttpRequest.Builder form(URI url, String body) {
    return HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString(body));
  }

  static String s256(String verifier) throws Exception {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Asserts an OAuth 2.0 error JSON answer with the status and {@code error}. */
  void assertOAuth2Error(HttpResponse<String> r, int status, String error) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    assertEquals(error, json.readTree(r.body()).path("error").asText(), r.body());
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
