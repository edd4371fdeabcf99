package io.ory4j.benchmarks.accessrules;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.AccessDecision;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.MatchingStrategy;
import io.ory4j.accessrules.Rule;
import io.ory4j.accessrules.RuleHandler;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.accessrules.spi.IntrospectionResult;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.json.OryJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one access decision with a real authenticator and one rule: {@code jwt} verifies an RS256 JWT against a
 * cached JWKS (scope, audience and issuer checked); {@code introspection} runs oauth2_introspection with its cache
 * (an in-process introspector behind it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PipelineBenchmark {

  private AccessRules jwt;
  private HttpRequest jwtRequest;
  private AccessRules introspection;
  private HttpRequest introspectionRequest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    OryJson json = OryJson.create();
    RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
    Path jwks = Files.createTempFile("jwks", ".json");
    jwks.toFile().deleteOnExit();
    Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
    SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
        new JWTClaimsSet.Builder().subject("alice").issuer("https://issuer").audience("api")
            .expirationTime(new Date(System.currentTimeMillis() + 3_600_000L)).claim("scp", List.of("read")).build());
    token.sign(new RSASSASigner(key));
    jwt = AccessRules.builder()
        .enable(HandlerKind.AUTHENTICATOR, "jwt", "{\"jwks_urls\":[\"" + jwks.toUri() + "\"],\"jwks_ttl\":\"1h\"}")
        .enable(HandlerKind.AUTHORIZER, "allow").enable(HandlerKind.MUTATOR, "noop")
        .rules(Rule.builder("jwt").match("https://api.example.com/<.*>", "GET")
            .authenticator(RuleHandler.of("jwt", json.readTree("{\"required_scope\":[\"read\"],"
                + "\"target_audience\":[\"api\"],\"trusted_issuers\":[\"https://issuer\"]}")))
            .authorizer("allow").mutator("noop").build())
        .build();
    jwtRequest = HttpRequest.builder().method("GET").scheme("https").host("api.example.com").path("/x")
        .header("Authorization", "Bearer " + token.serialize()).build();
    requireAllowed(jwt.decide(jwtRequest));

    introspection = AccessRules.builder()
        .tokenIntrospector((t, s) -> new IntrospectionResult(true, "alice", "", "client", "read", List.of("api"),
            "https://issuer", "access_token", "", null, Map.of()))
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection", "{\"cache\":{\"enabled\":true,\"ttl\":\"1h\"},"
            + "\"scope_strategy\":\"exact\",\"required_scope\":[\"read\"]}")
        .enable(HandlerKind.AUTHORIZER, "allow").enable(HandlerKind.MUTATOR, "noop")
        .rules(Rule.builder("i").match("https://api.example.com/<.*>", "GET").authenticator("oauth2_introspection")
            .authorizer("allow").mutator("noop").build())
        .build();
    introspectionRequest = HttpRequest.builder().method("GET").scheme("https").host("api.example.com").path("/x")
        .header("Authorization", "Bearer opaque-token").build();
    requireAllowed(introspection.decide(introspectionRequest));
  }

  private static void requireAllowed(AccessDecision d) {
    if (!(d instanceof AccessDecision.Allowed)) {
      throw new IllegalStateException("benchmark setup: expected an allowed decision, got " + d);
    }
  }

  @Benchmark
  public AccessDecision jwt() {
    return jwt.decide(jwtRequest);
  }

  @Benchmark
  public AccessDecision introspection() {
    return introspection.decide(introspectionRequest);
  }
}
