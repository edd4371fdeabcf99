package io.ory4j.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.HttpHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.servlet.OryServlet;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty serving a provider's public and admin APIs and a small login/consent app at {@code /app}, which
 * answers challenges through the admin API over HTTP as a real login app would. A test "browser" follows redirects
 * with a cookie jar until it reaches the client's redirect URI.
 */
final class TestServer implements AutoCloseable {

  static final String REDIRECT = "https://client.example/cb";
  static final OryJson JSON = OryJson.create();

  final Server server;
  final String base;
  final OAuth2Provider provider;
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  /** How the login app answers: the login request JSON to a path and body for the admin API. */
  final AtomicReference<Function<JsonNode, Answer>> login = new AtomicReference<>();
  final AtomicReference<Function<JsonNode, Answer>> consent = new AtomicReference<>();
  final AtomicReference<JsonNode> lastLoginRequest = new AtomicReference<>();
  final AtomicReference<JsonNode> lastConsentRequest = new AtomicReference<>();
  /** The JWK set a client publishes at {@code /app/jwks.json}. */
  final AtomicReference<String> clientJwks = new AtomicReference<>("{\"keys\":[]}");

  /**
   * Documents a client publishes (a sector identifier JSON, request objects): {@code https://client.example/docs/<name>}
   * is fetched, through the provider's default HTTP fetcher, from {@code /app/docs/<name>} on this server.
   */
  final Map<String, String> documents = new java.util.concurrent.ConcurrentHashMap<>();

  /** The user code the device verification page submits (the user typing it). */
  final AtomicReference<String> deviceUserCode = new AtomicReference<>("");

  /** An answer of the test login app: accept or reject, with a JSON body. */
  record Answer(String action, Object body) {
    static Answer accept(Object body) {
      return new Answer("accept", body);
    }

    static Answer reject(Object body) {
      return new Answer("reject", body);
    }
  }

  TestServer() throws Exception {
    this(UnaryOperator.identity());
  }

  /** A server whose provider {@code customize} adjusts (after the in-memory stores are set, so it may swap one). */
  TestServer(UnaryOperator<OAuth2Provider.Builder> customize) throws Exception {
    AtomicReference<HttpHandler> handler = new AtomicReference<>();
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new OryServlet(r -> handler.get().handle(r))), "/*");
    server.setHandler(ctx);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
    provider = customize.apply(OAuth2Provider.builder().inMemory().issuer(base).clock(clock)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .consentSettings(ConsentSettings.at(URI.create(base + "/app")).withSecureCookies(false))
        .clientSecretSettings(new ClientSecretSettings(1000, java.time.Duration.ofMinutes(5)))
        .documentFetcher(uri -> new io.ory4j.oauth2.internal.HttpDocumentFetcher().fetch(
            "client.example".equals(uri.getHost()) && uri.getPath().startsWith("/docs/")
                ? URI.create(base + "/app" + uri.getRawPath()) : uri))).build();
    login.set(req -> Answer.accept(Map.of("subject", "alice")));
    consent.set(req -> Answer.accept(Map.of("grant_scope", req.get("requested_scope"))));
    Router app = Router.builder(new OryErrorRenderer(JSON))
        .get("/app/login", r -> answer(r, "login", login.get(), lastLoginRequest))
        .get("/app/consent", r -> answer(r, "consent", consent.get(), lastConsentRequest))
        .get("/app/logout", r -> {
          String ch = r.queryParam("logout_challenge").orElseThrow();
          JsonNode res = admin("PUT", "/admin/oauth2/auth/requests/logout/accept?logout_challenge=" + enc(ch), "{}");
          return HttpResponse.redirect(302, res.get("redirect_to").asText());
        })
        .get("/app/logged-out", r -> HttpResponse.html(200, "bye"))
        .get("/app/device", r -> {
          String ch = r.queryParam("device_challenge").orElseThrow();
          java.net.http.HttpResponse<String> res = send("PUT", "/admin/oauth2/auth/requests/device/accept?"
              + "device_challenge=" + enc(ch), JSON.write(Map.of("user_code", deviceUserCode.get())),
              "application/json");
          return res.statusCode() != 200 ? HttpResponse.html(400, "wrong code: " + res.body())
              : HttpResponse.redirect(302, JSON.readTree(res.body()).get("redirect_to").asText());
        })
        .get("/app/device/done", r -> HttpResponse.html(200, "device approved"))
        .get("/app/docs/{name}", r -> {
          String doc = documents.get(r.pathParam("name").orElseThrow());
          return doc == null ? HttpResponse.html(404, "not found")
              : HttpResponse.json(200, doc.getBytes(StandardCharsets.UTF_8));
        })
        .get("/app/jwks.json", r -> HttpResponse.json(200, clientJwks.get().getBytes(StandardCharsets.UTF_8)))
        .build();
    Router all = Router.builder(new OryErrorRenderer(JSON)).mount(provider.publicApi()).mount(provider.adminApi())
        .mount(app).build();
    handler.set(all);
  }

  private HttpResponse answer(HttpRequest r, String kind, Function<JsonNode, Answer> how,
      AtomicReference<JsonNode> last) {
    String ch = r.queryParam(kind + "_challenge").orElseThrow();
    String q = "?" + kind + "_challenge=" + enc(ch);
    JsonNode req = admin("GET", "/admin/oauth2/auth/requests/" + kind + q, null);
    last.set(req);
    Answer a = how.apply(req);
    JsonNode res = admin("PUT", "/admin/oauth2/auth/requests/" + kind + "/" + a.action() + q, JSON.write(a.body()));
    return HttpResponse.redirect(302, res.get("redirect_to").asText());
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Calls the admin API; fails on a non-2xx answer. */
  JsonNode admin(String method, String path, String body) {
    java.net.http.HttpResponse<String> res = send(method, path, body, "application/json");
    if (res.statusCode() / 100 != 2) {
      throw new IllegalStateException(method + " " + path + " -> " + res.statusCode() + " " + res.body());
    }
    return res.body().isEmpty() ? JSON.object() : JSON.readTree(res.body());
  }

  java.net.http.HttpResponse<String> send(String method, String path, String body, String contentType) {
    try {
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(base + path));
      if (body == null) {
        b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", contentType).method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body));
      }
      return http.send(b.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A browser with a cookie jar. */
  final class Browser {
    final Map<String, String> cookies = new LinkedHashMap<>();
    java.net.http.HttpResponse<String> last;

    /** Makes one request; returns the Location, or the URL itself when there is no redirect. */
    String step(String url) {
      return navigate(url, 1);
    }

    /** Follows redirects from {@code url} until one leaves this server; returns the final URL (or the page). */
    String navigate(String url) {
      return navigate(url, 20);
    }

    private String navigate(String url, int max) {
      String next = url;
      for (int i = 0; i < max; i++) {
        if (!next.startsWith(base)) {
          return next;
        }
        try {
          java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(next)).GET();
          if (!cookies.isEmpty()) {
            b.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList()));
          }
          last = http.send(b.build(), BodyHandlers.ofString());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        for (String sc : last.headers().allValues("Set-Cookie")) {
          String nv = sc.split(";", 2)[0];
          int eq = nv.indexOf('=');
          String name = nv.substring(0, eq);
          if (sc.contains("Max-Age=0")) {
            cookies.remove(name);
          } else {
            cookies.put(name, nv.substring(eq + 1));
          }
        }
        if (last.statusCode() / 100 != 3) {
          return next;
        }
        next = last.headers().firstValue("Location").orElseThrow();
      }
      if (max == 1) {
        return next;
      }
      throw new IllegalStateException("too many redirects");
    }
  }

  Browser browser() {
    return new Browser();
  }

  /**
   * Redeems the code of {@code callback} (the URL the browser reached) at the token endpoint with client_secret_basic
   * and PKCE, parsed by Nimbus; fails unless it succeeds.
   */
  com.nimbusds.openid.connect.sdk.OIDCTokenResponse exchange(String clientId, String secret, String callback,
      com.nimbusds.oauth2.sdk.pkce.CodeVerifier verifier) {
    try {
      com.nimbusds.oauth2.sdk.http.HTTPResponse r = new com.nimbusds.oauth2.sdk.TokenRequest(
          URI.create(base + "/oauth2/token"), new com.nimbusds.oauth2.sdk.auth.ClientSecretBasic(
              new com.nimbusds.oauth2.sdk.id.ClientID(clientId), new com.nimbusds.oauth2.sdk.auth.Secret(secret)),
          new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(new com.nimbusds.oauth2.sdk.AuthorizationCode(
              param(callback, "code")), URI.create(callback.replaceAll("[?#].*$", "")), verifier),
          (com.nimbusds.oauth2.sdk.Scope) null).toHTTPRequest().send();
      return (com.nimbusds.openid.connect.sdk.OIDCTokenResponse) com.nimbusds.openid.connect.sdk
          .OIDCTokenResponseParser.parse(r).toSuccessResponse();
    } catch (IOException | com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Query or fragment parameters of a URL. */
  static Map<String, List<String>> params(String url) {
    URI u = URI.create(url);
    String raw = u.getRawFragment() != null ? u.getRawFragment() : u.getRawQuery();
    return HttpRequest.parseQuery(raw);
  }

  static String param(String url, String name) {
    List<String> v = params(url).get(name);
    return v == null ? null : v.get(0);
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the test server", e);
    }
  }
}
