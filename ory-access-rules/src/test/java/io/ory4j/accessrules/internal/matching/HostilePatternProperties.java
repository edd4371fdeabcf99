package io.ory4j.accessrules.internal.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ory4j.accessrules.MatchingStrategy;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Hostile patterns and URLs (issue #11). Compiling any text is a pattern or an {@link IllegalArgumentException} with
 * a reason (what the rule loader turns into a rule problem); matching any URL is an answer, or, for a lookaround
 * pattern on java.util.regex, a {@link RegexTimeoutException} at the deadline. Patterns known to blow up
 * backtracking engines stay linear on RE2/J: each runs against inputs thousands of characters long under a hang
 * guard of seconds, where a backtracking engine would need years.
 */
class HostilePatternProperties {

  static final Duration DEADLINE = Duration.ofMillis(50);
  static final Duration HANG_GUARD = Duration.ofSeconds(10);

  /** Compiles, or a clear refusal: true when a pattern came out. */
  static UrlPattern compileOrRefuse(String pattern, MatchingStrategy strategy) {
    try {
      return UrlPattern.compile(pattern, strategy, DEADLINE);
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("a refusal without a reason for " + pattern, e);
      }
      return null;
    }
  }

  /** Matches, or stops at the deadline (only a java.util.regex pattern can). */
  static void matchOrDeadline(UrlPattern p, String url) {
    try {
      List<String> groups = p.match(url);
      if (groups != null && p.matches(url) != (groups != null)) {
        throw new AssertionError("match and matches disagree on " + url);
      }
    } catch (RegexTimeoutException e) {
      assertEquals("jdk", p.engine(), "only the java.util.regex engine runs under a deadline");
    }
  }

  @Provide
  Arbitrary<String> patterns() {
    Arbitrary<String> part = Arbitraries.strings().withChars("<>()[]{}*+?.|\\^$!=:,-/abz09").ofMaxLength(12);
    Arbitrary<String> wrapped = part.map(s -> "<" + s + ">");
    return Combinators.combine(Arbitraries.of("http://a/", "https://<[^/]+>/", "<.*>://x/", ""),
        Arbitraries.oneOf(part, wrapped), Arbitraries.oneOf(part, wrapped, Arbitraries.just("")))
        .as((a, b, c) -> a + b + c);
  }

  @Provide
  Arbitrary<String> urls() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(80).map(s -> "http://a/" + s),
        Arbitraries.strings().withChars("ab/.%?#:<>\u00e9\u0000").ofMaxLength(80).map(s -> "https://x/" + s),
        Arbitraries.strings().all().ofMaxLength(60));
  }

  @Property(tries = 5000)
  void regexpWhenAnyPatternAndUrlThenMatchRefusalOrDeadline(@ForAll("patterns") String pattern,
      @ForAll("urls") String url) {
    UrlPattern p = compileOrRefuse(pattern, MatchingStrategy.REGEXP);
    if (p != null) {
      matchOrDeadline(p, url);
    }
  }

  @Property(tries = 5000)
  void globWhenAnyPatternAndUrlThenMatchOrRefusal(@ForAll("patterns") String pattern, @ForAll("urls") String url) {
    UrlPattern p = compileOrRefuse(pattern, MatchingStrategy.GLOB);
    if (p != null) {
      p.match(url); // glob never needs a deadline
    }
  }

  /** Nested quantifiers over overlapping alternatives: the classic exponential cases for a backtracking engine. */
  static final List<String> CATASTROPHIC = List.of("(a+)+", "(a*)*", "(a|aa)+", "(a|a?)+", "(a|ab|b)*", "(.*a){12}",
      "([a-z]+)*", "(\\w+\\s?)+", "(a+)+b", "((a+)*)+", "(x+x+)+y", "(.*)*(.*)*(.*)*z");

  @Property(tries = 300)
  void regexpWhenCatastrophicPatternOnRe2ThenLinear(@ForAll("catastrophic") String body,
      @ForAll @IntRange(min = 1_000, max = 20_000) int n) {
    UrlPattern p = UrlPattern.compile("http://a/<" + body + ">!", MatchingStrategy.REGEXP, DEADLINE);
    assertEquals("re2j", p.engine(), body);
    String url = "http://a/" + "a".repeat(n) + "?"; // almost matches: the worst case for backtracking
    assertTimeoutPreemptively(HANG_GUARD, () -> p.match(url));
  }

  @Provide
  Arbitrary<String> catastrophic() {
    return Arbitraries.of(CATASTROPHIC);
  }

  @Property(tries = 100)
  void regexpWhenCatastrophicPatternNeedsLookaroundThenCutByTheDeadline(@ForAll("catastrophic") String body) {
    // a lookahead forces java.util.regex: the deadline, not the pattern, bounds the time
    UrlPattern p = UrlPattern.compile("http://a/<(?=a)" + body + ">!", MatchingStrategy.REGEXP, DEADLINE);
    assertEquals("jdk", p.engine());
    String url = "http://a/" + "a".repeat(5_000) + "?";
    assertTimeoutPreemptively(HANG_GUARD, () -> matchOrDeadline(p, url));
  }

  @Example
  void globWhenManyStarsThenLinear() {
    UrlPattern p = UrlPattern.compile("http://a/" + "**a".repeat(30) + "!", MatchingStrategy.GLOB, DEADLINE);
    assertTimeoutPreemptively(HANG_GUARD, () -> p.match("http://a/" + "a".repeat(20_000)));
  }
}
