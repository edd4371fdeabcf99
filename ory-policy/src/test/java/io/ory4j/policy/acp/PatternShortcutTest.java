package io.ory4j.policy.acp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.policy.acp.internal.CompiledPattern;
import io.ory4j.policy.acp.internal.InvalidPatternException;
import io.ory4j.policy.acp.internal.Patterns;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Patterns of the shape prefix-wildcard-suffix skip the regex engine; they must match exactly as it does. */
class PatternShortcutTest {

  private static Arbitrary<String> text(List<String> tokens, int max) {
    return Arbitraries.of(tokens).list().ofMaxSize(max).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> globs() {
    return text(List.of("a", ":", "*", "**", "\n", "b"), 5);
  }

  @Provide
  Arbitrary<String> regexes() {
    return text(List.of("a", ":", "<.*>", "\n", ".", "b"), 5);
  }

  @Provide
  Arbitrary<String> values() {
    return text(List.of("a", ":", "\n", ".", "b", "*"), 6);
  }

  private static void check(Flavor flavor, String pattern, String value) {
    CompiledPattern p;
    try {
      p = Patterns.compileUncached(flavor, pattern);
    } catch (InvalidPatternException e) {
      Assume.that(false);
      return;
    }
    assertEquals(p.matchesByRegex(value), p.matches(value), pattern + " ~ " + value);
  }

  @Property(tries = 2000)
  void matchesWhenGlobShortcutThenSameAsRegex(@ForAll("globs") String pattern, @ForAll("values") String value) {
    check(Flavor.GLOB, pattern, value);
  }

  @Property(tries = 2000)
  void matchesWhenRegexShortcutThenSameAsRegex(@ForAll("regexes") String pattern, @ForAll("values") String value) {
    check(Flavor.REGEX, pattern, value);
  }
}
