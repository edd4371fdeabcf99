package io.ory4j.accessrules.internal.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.accessrules.MatchingStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The index must give exactly the answer of running every rule. */
class RuleIndexProperties {

  record Spec(String pattern, Set<String> methods) {}

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.of("a.com", "b.com", "api.a.com");
  }

  @Provide
  Arbitrary<List<Spec>> regexpRules() {
    return regexpRule().list().ofMaxSize(15);
  }

  Arbitrary<Spec> regexpRule() {
    Arbitrary<String> scheme = Arbitraries.of("http", "https", "<http|https>", "<https?>", "<.*>");
    Arbitrary<String> host = Arbitraries.of("a.com", "b.com", "api.a.com", "<[a-z.]+>");
    Arbitrary<String> path = Arbitraries.of("/", "/users", "/users/<[0-9]+>", "/users/<.*>", "/<.*>", "/u<.*>",
        "/users/1", "/posts/<[a-z]+>", "<.*>");
    Arbitrary<Set<String>> methods = Arbitraries.of("GET", "POST", "DELETE").set().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(scheme, host, path, methods)
        .as((s, h, p, m) -> new Spec(s + "://" + h + p, m));
  }

  @Provide
  Arbitrary<List<Spec>> globRules() {
    return globRule().list().ofMaxSize(15);
  }

  Arbitrary<Spec> globRule() {
    Arbitrary<String> scheme = Arbitraries.of("http", "https", "<{http,https}>", "<*>");
    Arbitrary<String> host = Arbitraries.of("a.com", "b.com", "api.a.com", "<*>.a.com", "<**>");
    Arbitrary<String> path = Arbitraries.of("/", "/users", "/users/<*>", "/users/<**>", "/<**>", "/u<?>",
        "/users/1", "/<{users,posts}>/<*>");
    Arbitrary<Set<String>> methods = Arbitraries.of("GET", "POST", "DELETE").set().ofMinSize(1).ofMaxSize(3);
    return Combinators.combine(scheme, host, path, methods)
        .as((s, h, p, m) -> new Spec(s + "://" + h + p, m));
  }

  @Provide
  Arbitrary<String> urls() {
    Arbitrary<String> scheme = Arbitraries.of("http", "https", "ftp");
    Arbitrary<String> path = Arbitraries.of("/", "/users", "/users/", "/users/1", "/users/12/x", "/posts/abc",
        "/u1", "/ux", "/other");
    return Combinators.combine(scheme, hosts(), path).as((s, h, p) -> s + "://" + h + p);
  }

  @Property(tries = 300)
  void matchAllWhenRegexpRulesThenSameAsScan(@ForAll("regexpRules") List<Spec> rules, @ForAll("urls") String url,
      @ForAll("method") String method) {
    check(rules, MatchingStrategy.REGEXP, url, method);
  }

  @Property(tries = 300)
  void matchAllWhenGlobRulesThenSameAsScan(@ForAll("globRules") List<Spec> rules, @ForAll("urls") String url,
      @ForAll("method") String method) {
    check(rules, MatchingStrategy.GLOB, url, method);
  }

  @Provide
  Arbitrary<String> method() {
    return Arbitraries.of("GET", "POST", "DELETE", "get", "PUT");
  }

  private static void check(List<Spec> specs, MatchingStrategy strategy, String url, String method) {
    List<MatchTarget> targets = new ArrayList<>();
    for (Spec s : specs) {
      targets.add(new MatchTarget(targets.size(), s.methods(), UrlPattern.compile(s.pattern(), strategy,
          Duration.ofSeconds(1))));
    }
    RuleIndex index = new RuleIndex(targets);
    assertEquals(positions(index.scanAll(method, url)), positions(index.matchAll(method, url)));
  }

  private static List<Integer> positions(List<RuleIndex.Match> m) {
    return m.stream().map(x -> x.target().position()).toList();
  }
}
