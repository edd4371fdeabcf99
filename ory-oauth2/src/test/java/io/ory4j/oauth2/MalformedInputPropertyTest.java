package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.secrets.SystemSecrets;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a client sends, the provider answers with a 2xx, 3xx or 4xx: never a 500. */
class MalformedInputPropertyTest {

  private static final OAuth2Provider PROVIDER = OAuth2Provider.builder().issuer("https://auth.example.com")
      .clock(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))
      .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
      .consentSettings(ConsentSettings.at(URI.create("https://login.example")))
      .clientSecretSettings(new ClientSecretSettings(1000, Duration.ofMinutes(5)))
      .deviceAuthorization(DeviceSettings.of(URI.create("https://login.example/device"),
          URI.create("https://login.example/done")))
      .dpop(DpopSettings.enabled60s())
      .jwtBearerGrant(JwtBearerSettings.defaults())
      .dynamicClientRegistration(DynamicClientRegistrationSettings.defaults())
      .tokenExchange(TokenExchangeSettings.defaults().withRefreshTokens(true).withTrustedIssuerJwts(true))
      .mutualTls(MutualTlsSettings.behindProxy("X-Client-Cert", "127.0.0.1"))
      .addTokenHook(ctx -> ctx.payload().containsKey("scope") ? io.ory4j.oauth2.spi.TokenHookResult.claims(
          java.util.Map.of("hooked", ctx.grantTypes()), ctx.idTokenClaims())
          : io.ory4j.oauth2.spi.TokenHookResult.unchanged())
      .documentFetcher(uri -> new io.ory4j.oauth2.spi.DocumentFetcher.Document(200, unsigned("{\"scope\":[1,\"x\"]}")))
      .inMemory().build();

  static {
    PROVIDER.createClient(OAuth2Client.builder().clientId("app").redirectUris("https://app.example/cb")
        .grantTypes("authorization_code", "refresh_token", "client_credentials", "implicit",
            OAuth2Provider.DEVICE_GRANT, "urn:ietf:params:oauth:grant-type:jwt-bearer",
            "urn:ietf:params:oauth:grant-type:token-exchange")
        .responseTypes("code", "id_token token").scope("openid offline read")
        .requestUris("https://app.example/req.jwt").jwks(java.util.Map.of("keys", List.of(java.util.Map.of(
            "kty", "EC", "crv", "P-256", "x", "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
            "y", "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM")))).build(), "app-secret");
  }

  /** An unsecured JWT ({@code alg: none}) with these claims, as a request object. */
  private static String unsigned(String claims) {
    java.util.Base64.Encoder e = java.util.Base64.getUrlEncoder().withoutPadding();
    return e.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + e.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private static final List<String> NAMES = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
      "nonce", "prompt", "max_age", "code_challenge", "code_challenge_method", "response_mode", "login_verifier",
      "consent_verifier", "id_token_hint", "grant_type", "code", "refresh_token", "code_verifier", "token",
      "audience", "client_assertion", "client_assertion_type", "post_logout_redirect_uri", "logout_verifier",
      "request", "request_uri", "device_code", "user_code", "device_challenge", "device_verifier", "dpop_jkt",
      "login_challenge", "consent_challenge", "logout_challenge", "subject", "client", "page_size",
      "page_token", "assertion", "issuer", "subject_token", "subject_token_type", "actor_token",
      "actor_token_type", "requested_token_type", "resource");

  @Provide
  Arbitrary<String> form() {
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(180).ofMaxLength(300),
        Arbitraries.of("app", "code", "token id_token", "openid", "none", "S256", "plain", "https://app.example/cb",
            "client_credentials", "authorization_code", "refresh_token", "ory_at_x.y", "ory_rt_a.b", "a.b.c", "-1",
            "fragment", "form_post", "query", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "%zz", "",
            "https://app.example/req.jwt", unsigned("{}"), unsigned("{\"client_id\":5,\"max_age\":\"x\"}"),
            unsigned("{\"response_mode\":null,\"claims\":{\"a\":[]},\"audience\":[1]}"),
            unsigned("{\"redirect_uri\":\"https://evil.example\",\"prompt\":[\"none\",\"login\"]}"),
            unsigned("[]"), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "urn:ietf:params:oauth:grant-type:device_code",
            "urn:ietf:params:oauth:request_uri:x", "ory_dc_a.b", "BCDF-GHJK",
            "urn:ietf:params:oauth:grant-type:jwt-bearer", "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsifQ."
                + "eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlIiwic3ViIjoiYSJ9.c2ln", "https://idp.example",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:token-type:access_token",
            "urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:refresh_token",
            "https://app.example/cb#x", "relative"));
    Arbitrary<String> pair = Combinators.combine(Arbitraries.of(NAMES), value)
        .as((k, v) -> k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8));
    return pair.list().ofMaxSize(8).map(l -> String.join("&", l));
  }

  @Provide
  Arbitrary<String> path() {
    return Arbitraries.of("/oauth2/auth", "/oauth2/token", "/oauth2/revoke", "/userinfo", "/oauth2/sessions/logout",
        "/admin/oauth2/introspect", "/admin/clients", "/admin/clients/app", "/admin/oauth2/auth/requests/login",
        "/admin/oauth2/auth/requests/login/accept", "/admin/oauth2/auth/requests/consent/accept",
        "/admin/oauth2/auth/requests/logout", "/admin/oauth2/auth/sessions/consent", "/admin/keys/x",
        "/admin/oauth2/tokens", "/oauth2/par", "/oauth2/device/auth", "/oauth2/device/verify",
        "/admin/oauth2/auth/requests/device/accept", "/admin/trust/grants/jwt-bearer/issuers",
        "/admin/trust/grants/jwt-bearer/issuers/x", "/oauth2/register", "/oauth2/register/app",
        "/oauth2/register/%zz");
  }

  @Property(tries = 1500)
  void handleWhenAnyRequestThenNeverA5xx(@ForAll("path") String path, @ForAll("form") String query,
      @ForAll("form") String body, @ForAll boolean basic, @ForAll("method") String method,
      @ForAll("json") String json, @ForAll("certificate") String certificate) {
    HttpRequest.Builder b = HttpRequest.builder().method(method).scheme("https").host("auth.example.com")
        .target(path + "?" + query);
    b.remoteAddress("127.0.0.1");
    if (!certificate.isEmpty()) {
      b.header("X-Client-Cert", certificate);
    }
    if (path.startsWith("/oauth2/register") && !basic) {
      b.header("Authorization", "Bearer " + (query.length() % 2 == 0 ? "ory_at_x.y" : query));
    }
    if (basic) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
          "app:app-secret".getBytes(StandardCharsets.UTF_8)));
    }
    if ((path.startsWith("/admin/") && !path.endsWith("introspect")) || path.startsWith("/oauth2/register")) {
      b.header("Content-Type", "application/json").body(json);
    } else {
      b.header("Content-Type", "application/x-www-form-urlencoded").body(body);
    }
    HttpRequest request = b.build();
    HttpResponse r = path.startsWith("/admin/") ? PROVIDER.adminApi().handle(request)
        : PROVIDER.publicApi().handle(request);
    assertTrue(r.status() < 500, () -> method + " " + path + "?" + query + " body=" + body + " -> " + r.status()
        + " " + r.bodyText());
  }

  @Provide
  Arbitrary<String> certificate() {
    String pem;
    try (java.io.InputStream in = MalformedInputPropertyTest.class.getResourceAsStream("/mtls/client-a.pem")) {
      pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return Arbitraries.oneOf(Arbitraries.of("", pem, URLEncoder.encode(pem, StandardCharsets.UTF_8), "%zz",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"), Arbitraries.strings().ofMaxLength(30));
  }

  @Provide
  Arbitrary<String> method() {
    return Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE");
  }

  @Provide
  Arbitrary<String> json() {
    return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30), Arbitraries.of("{}", "[]", "null", "1",
        "{\"subject\":\"\"}", "{\"subject\":\"a\",\"remember_for\":-1}", "{\"grant_scope\":[\"x\"]}",
        "{\"redirect_uris\":[\"x y\"]}", "[{\"op\":\"remove\",\"path\":\"/client_id\"}]",
        "[{\"op\":\"replace\",\"path\":\"/grant_types\",\"value\":[\"password\"]}]", "{\"alg\":\"RS256\"}",
        "{\"jwks\":{\"keys\":[{}]}}", "{\"client_id\":\"\"}", "{\"token_endpoint_auth_method\":\"tls_client_auth\","
            + "\"tls_client_auth_subject_dn\":\"CN=a\\\\\"}", "{\"client_secret\":\"abcdefgh\",\"skip_consent\":1}",
        "{\"access_token_strategy\":[],\"tls_client_certificate_bound_access_tokens\":\"yes\"}",
        "{\"redirect_uris\":[\"https://a.example/cb#x\"],\"client_id\":[]}", "{\"scope\":5}", "{\"metadata\":[]}",
        "{\"user_code\":5}", "{\"user_code\":\"BCDF-GHJK\"}", "{\"sector_identifier_uri\":\"http://x\"}",
        "{\"issuer\":\"https://idp.example\",\"subject\":\"a\",\"expires_at\":\"2026-02-01T00:00:00Z\","
            + "\"jwk\":{\"kty\":\"EC\",\"kid\":\"k\"}}",
        "{\"issuer\":\"https://idp.example\",\"allow_any_subject\":\"yes\",\"scope\":[1]}",
        "{\"issuer\":7,\"subject\":[],\"expires_at\":\"2026-13-45\",\"jwk\":[]}",
        "{\"issuer\":\"https://idp.example\",\"subject\":\"a\",\"expires_at\":\"2026-02-01T00:00:00Z\","
            + "\"scope\":[\"read\"],\"jwk\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k\","
            + "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\","
            + "\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}}"));
  }
}
