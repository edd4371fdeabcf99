package io.ory4j.benchmarks.oauth2;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The full authorization code flow through the handlers: {@code /oauth2/auth}, login accept, login verifier, consent
 * accept, consent verifier, and the code exchange with an ID token (RS256), without a network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class AuthorizationCodeBenchmark {

  private static final String REDIRECT = "https://app.example/cb";

  @Param({"memory", "h2"})
  public String store;

  private OAuth2Provider provider;
  private CreatedClient client;
  private String basic;

  @Setup
  public void setup() {
    provider = Fixtures.provider(store, "opaque");
    client = provider.createClient(OAuth2Client.builder().grantTypes("authorization_code", "refresh_token")
        .redirectUris(REDIRECT).scope("openid offline").build());
    basic = "Basic " + Base64.getEncoder().encodeToString((client.client().id().value() + ":" + client.secret())
        .getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> query(String url) {
    Map<String, String> m = new LinkedHashMap<>();
    HttpRequest.parseQuery(URI.create(url).getRawQuery()).forEach((k, v) -> m.put(k, v.get(0)));
    return m;
  }

  private HttpResponse get(String url, Map<String, String> cookies) {
    URI u = URI.create(url);
    HttpRequest.Builder b = HttpRequest.builder().scheme("https").host("auth.example.com")
        .target(u.getRawPath() + "?" + u.getRawQuery());
    cookies.forEach(b::cookie);
    HttpResponse r = provider.publicApi().handle(b.build());
    for (String sc : r.headers().getOrDefault("Set-Cookie", List.of())) {
      String nv = sc.split(";", 2)[0];
      cookies.put(nv.substring(0, nv.indexOf('=')), nv.substring(nv.indexOf('=') + 1));
    }
    return r;
  }

  @Benchmark
  public HttpResponse fullFlow() {
    Map<String, String> cookies = new LinkedHashMap<>();
    HttpResponse r = get(Fixtures.ISSUER + "/oauth2/auth?response_type=code&client_id=" + client.client().id()
        + "&redirect_uri=" + REDIRECT + "&scope=openid%20offline&state=state-12345&nonce=n-123", cookies);
    String next = provider.acceptLogin(query(r.header("Location").orElseThrow()).get("login_challenge"),
        AcceptLogin.subject("alice")).redirectTo();
    r = get(next, cookies);
    next = provider.acceptConsent(query(r.header("Location").orElseThrow()).get("consent_challenge"),
        AcceptConsent.scopes(List.of("openid", "offline"))).redirectTo();
    r = get(next, cookies);
    String code = query(r.header("Location").orElseThrow()).get("code");
    return provider.publicApi().handle(HttpRequest.builder().method("POST").scheme("https").host("auth.example.com")
        .path("/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
        .header("Authorization", basic).body("grant_type=authorization_code&code=" + code + "&redirect_uri="
            + REDIRECT).build());
  }
}
