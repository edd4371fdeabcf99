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
 * The cost of one access decision. {@code matching}: 10, 1,000 or 10,000 rules (anonymous/allow/noop, so matching
 * dominates) spread over 50 hosts, each with its own path prefix and two pattern parts (so the regexp engine runs,
 * not the literal-prefix fast path), with the regexp or glob strategy; the goal is that
 * 10,000 rules cost at most twice 10. See {@link PipelineBenchmark} for JWT and introspection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecisionBenchmark {

  @Param({"10", "1000", "10000"})
  public int rules;

  @Param({"regexp", "glob"})
  public String strategy;

  private AccessRules matching;
  private HttpRequest hit;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    OryJson json = OryJson.create();
    boolean glob = strategy.equals("glob");
    List<Rule> list = new ArrayList<>();
    for (int i = 0; i < rules; i++) {
      String url = "https://host" + (i % 50) + ".example.com/service" + i
          + (glob ? "/<*>/<*>" : "/<[a-z]+>/<[0-9]+>");
      list.add(Rule.builder("r" + i).match(url, "GET", "POST").authenticator("anonymous").authorizer("allow")
          .mutator("noop").build());
    }
    matching = AccessRules.builder().matchingStrategy(MatchingStrategy.parse(strategy))
        .enable(HandlerKind.AUTHENTICATOR, "anonymous").enable(HandlerKind.AUTHORIZER, "allow")
        .enable(HandlerKind.MUTATOR, "noop").rules(list).build();
    int target = rules / 2;
    hit = HttpRequest.builder().method("GET").scheme("https").host("host" + (target % 50) + ".example.com")
        .path("/service" + target + "/users/42").build();
    requireAllowed(matching.decide(hit));
  }

  private static void requireAllowed(AccessDecision d) {
    if (!(d instanceof AccessDecision.Allowed)) {
      throw new IllegalStateException("benchmark setup: expected an allowed decision, got " + d);
    }
  }

  @Benchmark
  public AccessDecision matching() {
    return matching.decide(hit);
  }
}
