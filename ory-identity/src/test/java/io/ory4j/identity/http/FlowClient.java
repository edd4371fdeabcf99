package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentityService;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs registration and login through the public API on embedded Jetty in either flavor, the way a Kratos client
 * does: the API flavor with JSON, the browser flavor with the CSRF cookie, the form and the redirects. Each request
 * carries {@code User-Agent: flow-client/1}, a {@code theme=dark} cookie and, when set, extra headers.
 */
final class FlowClient implements AutoCloseable {

  enum Flavor { API, BROWSER }

  /**
   * What a flow ended with: the HTTP status (a browser flow sent back to the UI counts as 400, with the flow fetched
   * again), the answer or flow JSON, and the session token (from the JSON or the session cookie), if any.
   */
  record Outcome(int status, JsonNode body, @Nullable String sessionToken) {}

  static final OryJson JSON = OryJson.create();
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final IdentityJettyServer server;
  private final URI base;
  private String[] extraHeaders = new String[0];

  FlowClient(IdentityService service, Clock clock) throws Exception {
    BrowserSettings browser = new BrowserSettings(URI.create("https://app.example/login"),
        URI.create("https://app.example/registration"), URI.create("https://app.example/"), List.of(), false);
    server = new IdentityJettyServer(service, JSON, clock, browser);
    base = server.pub;
  }

  /** Extra request headers (name, value pairs) for the following flows, such as X-Forwarded-For. */
  FlowClient headers(String... nameValues) {
    extraHeaders = nameValues.clone();
    return this;
  }

  Outcome register(Flavor f, String email, String password) throws Exception {
    ObjectNode body = JSON.object().put("method", "password").put("password", password);
    body.putObject("traits").put("email", email);
    return run(f, "registration", body, "traits.email=" + enc(email) + "&method=password&password=" + enc(password));
  }

  Outcome login(Flavor f, String identifier, String password) throws Exception {
    ObjectNode body = JSON.object().put("method", "password").put("identifier", identifier).put("password", password);
    return run(f, "login", body, "identifier=" + enc(identifier) + "&method=password&password=" + enc(password));
  }

  private Outcome run(Flavor f, String kind, ObjectNode json, String form) throws Exception {
    if (f == Flavor.API) {
      JsonNode flow = JSON.readTree(send(get("/self-service/" + kind + "/api", null)).body());
      HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/self-service/" + kind + "?flow="
          + flow.get("id").asText())).header("Content-Type", "application/json").header("Cookie", "theme=dark")
          .POST(BodyPublishers.ofString(JSON.write(json))));
      JsonNode body = JSON.readTree(r.body());
      return new Outcome(r.statusCode(), body, body.path("session_token").asText(null));
    }
    HttpResponse<String> init = send(get("/self-service/" + kind + "/browser", null));
    assertEquals(303, init.statusCode(), init.body());
    String flowId = init.headers().firstValue("Location").orElseThrow().split("flow=")[1];
    String csrfCookie = cookie(init, "csrf_token");
    String csrf = csrfOf(JSON.readTree(send(get("/self-service/" + kind + "/flows?id=" + flowId, csrfCookie))
        .body()));
    HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/self-service/" + kind + "?flow=" + flowId))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", csrfCookie + "; theme=dark")
        .POST(BodyPublishers.ofString("csrf_token=" + enc(csrf) + "&" + form)));
    if (r.statusCode() != 303) {
      return new Outcome(r.statusCode(), JSON.readTree(r.body()), null);
    }
    String location = r.headers().firstValue("Location").orElseThrow();
    if (location.startsWith("https://app.example/" + kind + "?flow=")) {
      return new Outcome(400, JSON.readTree(send(get("/self-service/" + kind + "/flows?id=" + flowId, csrfCookie))
          .body()), null);
    }
    String session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ory_kratos_session="))
        .map(c -> c.substring("ory_kratos_session=".length(), c.indexOf(';'))).findFirst().orElse(null);
    return new Outcome(303, JSON.object().put("location", location), session);
  }

  private HttpRequest.Builder get(String target, @Nullable String cookies) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(target));
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    b.header("User-Agent", "flow-client/1");
    for (int i = 0; i < extraHeaders.length; i += 2) {
      b.header(extraHeaders[i], extraHeaders[i + 1]);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  /** Whoami with a session token: the HTTP status. */
  int whoami(String token) throws Exception {
    return send(get("/sessions/whoami", null).header("X-Session-Token", token)).statusCode();
  }

  private static String cookie(HttpResponse<?> r, String name) {
    return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow(() -> new AssertionError("no " + name));
  }

  private static String csrfOf(JsonNode flow) {
    for (JsonNode n : flow.get("ui").get("nodes")) {
      if (n.get("attributes").get("name").asText().equals("csrf_token")) {
        return n.get("attributes").get("value").asText();
      }
    }
    throw new AssertionError("no csrf_token node");
  }

  /** The messages of the node named {@code name}. */
  static JsonNode nodeMessages(JsonNode flow, String name) {
    for (JsonNode n : flow.get("ui").get("nodes")) {
      if (n.get("attributes").get("name").asText().equals(name)) {
        return n.get("messages");
      }
    }
    throw new AssertionError("no node " + name);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
