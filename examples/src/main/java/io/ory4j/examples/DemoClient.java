package io.ory4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The third-party demo client: a small command-line app, written against the example only through its public and
 * admin URLs, as another company's app would be. It registers itself as a public client (Hydra's
 * {@code POST /admin/clients}, the step {@code hydra create client} does), runs the authorization code flow with
 * PKCE (S256) through a loopback redirect (RFC 8252), with Nimbus as the OAuth 2.0 client, and writes a blog post
 * with the access token it got (scope {@code posts.write}), through the example's access rules.
 *
 * <pre>
 * java -cp examples/target/examples.jar:... io.ory4j.examples.DemoClient http://127.0.0.1:4444/ http://127.0.0.1:4445/
 * </pre>
 */
public final class DemoClient {

  /** What the client did: its id, the token's scope, and the API's answer to the write. */
  public record Result(String clientId, String scope, int status, JsonNode post) {}

  private final URI publicUrl;
  private final URI adminUrl;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final OryJson json = OryJson.create();

  /**
   * @param publicUrl the example's public base URL (issuer, {@code /api/posts})
   * @param adminUrl the example's admin base URL (client registration)
   * @param timeout how long to wait for the user to finish in the browser
   */
  public DemoClient(URI publicUrl, URI adminUrl, Duration timeout) {
    this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl");
    this.adminUrl = Objects.requireNonNull(adminUrl, "adminUrl");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: DemoClient <public URL> <admin URL>");
      System.exit(2);
    }
    PrintStream out = System.out;
    Result r = new DemoClient(URI.create(args[0]), URI.create(args[1]), Duration.ofMinutes(5))
        .run(url -> out.println("Open this address in your browser, sign in and allow access:\n  " + url));
    out.println("Client " + r.clientId() + " got a token with scope \"" + r.scope() + "\"; the blog answered "
        + r.status() + ": " + r.post());
  }

  /**
   * Runs the whole flow; {@code browser} is shown the authorization URL and must bring the user's browser there
   * (the user signs in and consents, and the browser is sent back to this client's loopback callback).
   */
  public Result run(Consumer<URI> browser) throws IOException, InterruptedException {
    HttpServer callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    CompletableFuture<URI> redirected = new CompletableFuture<>();
    callback.createContext("/callback", exchange -> {
      redirected.complete(URI.create("http://127.0.0.1:" + callback.getAddress().getPort())
          .resolve(exchange.getRequestURI()));
      byte[] page = "<!doctype html><title>Demo client</title><p>Signed in. You can close this window."
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
    });
    callback.start();
    try {
      URI redirectUri = URI.create("http://127.0.0.1:" + callback.getAddress().getPort() + "/callback");
      String clientId = register(redirectUri);
      OIDCProviderMetadata op = OIDCProviderMetadata.resolve(new Issuer(issuer()));
      CodeVerifier verifier = new CodeVerifier();
      State state = new State();
      AuthorizationRequest authorize = new AuthorizationRequest.Builder(ResponseType.CODE, new ClientID(clientId))
          .endpointURI(op.getAuthorizationEndpointURI()).redirectionURI(redirectUri)
          .scope(new Scope("openid", "posts.write")).state(state)
          .codeChallenge(verifier, CodeChallengeMethod.S256).build();
      browser.accept(authorize.toURI());

      AuthorizationResponse answer = parse(redirected.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      if (!state.equals(answer.getState())) {
        throw new IOException("the authorization response carries another state: refused");
      }
      if (!answer.indicatesSuccess()) {
        throw new IOException("authorization refused: " + answer.toErrorResponse().getErrorObject());
      }
      AuthorizationCode code = answer.toSuccessResponse().getAuthorizationCode();
      TokenResponse tokens = TokenResponse.parse(new TokenRequest.Builder(op.getTokenEndpointURI(),
          new ClientID(clientId), new AuthorizationCodeGrant(code, redirectUri, verifier)).build()
          .toHTTPRequest().send());
      if (!tokens.indicatesSuccess()) {
        throw new IOException("token request refused: " + tokens.toErrorResponse().getErrorObject());
      }
      AccessToken token = tokens.toSuccessResponse().getTokens().getAccessToken();
      HttpResponse<String> post = http.send(HttpRequest.newBuilder(publicUrl.resolve("/api/posts"))
          .header("Authorization", token.toAuthorizationHeader()).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"Posted by the demo client\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Result(clientId, String.valueOf(token.getScope()), post.statusCode(), json.readTree(post.body()));
    } catch (com.nimbusds.oauth2.sdk.GeneralException e) {
      throw new IOException("the provider's answer could not be read: " + e.getMessage(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("the browser did not come back to the callback within " + timeout, e);
    } finally {
      callback.stop(0);
    }
  }

  private String issuer() {
    String s = publicUrl.toString();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Registers a public client (PKCE, no secret) for {@code redirectUri}; answers its id. */
  private String register(URI redirectUri) throws IOException, InterruptedException {
    byte[] body = json.writeBytes(Map.of("client_name", "Demo third-party client",
        "redirect_uris", List.of(redirectUri.toString()), "grant_types", List.of("authorization_code"),
        "response_types", List.of("code"), "scope", "openid posts.write", "token_endpoint_auth_method", "none"));
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(adminUrl.resolve("/admin/clients"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IOException("client registration refused (" + created.statusCode() + "): " + created.body());
    }
    return json.readTree(created.body()).get("client_id").asText();
  }

  private static AuthorizationResponse parse(URI callback) throws IOException {
    try {
      return AuthorizationResponse.parse(callback);
    } catch (com.nimbusds.oauth2.sdk.ParseException e) {
      throw new IOException("the callback is not an authorization response: " + e.getMessage(), e);
    }
  }
}
