package io.ory4j.policy.acp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ory4j.policy.acp.internal.InvalidPatternException;
import io.ory4j.policy.acp.internal.Patterns;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

class PatternsTest {

  @ParameterizedTest(name = "glob {0} ~ {1} = {2}")
  @CsvFileSource(resources = "/acp/glob.csv", delimiter = '|', quoteCharacter = '\'')
  void matchesWhenGlobThenAsGobwasWithColonSeparator(String pattern, String value, boolean expected) {
    assertEquals(expected, Patterns.compileUncached(Flavor.GLOB, pattern).matches(value));
  }

  @ParameterizedTest(name = "regex {0} ~ {1} = {2}")
  @CsvFileSource(resources = "/acp/regex.csv", delimiter = '|', quoteCharacter = '\'')
  void matchesWhenRegexTemplateThenAnchoredWithLiteralsEscaped(String pattern, String value, boolean expected) {
    assertEquals(expected, Patterns.compileUncached(Flavor.REGEX, pattern).matches(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"[a-", "{a,b", "[]", "[z-a]", "[a-bc]", "[!]"})
  void compileWhenGlobMalformedThenInvalid(String pattern) {
    assertThrows(InvalidPatternException.class, () -> Patterns.compileUncached(Flavor.GLOB, pattern));
  }

  @ParameterizedTest
  @ValueSource(strings = {"<[>", "a>", "<a", "<(a>", "x<a>>", "<a(?<b>"})
  void compileWhenRegexMalformedThenInvalid(String pattern) {
    assertThrows(InvalidPatternException.class, () -> Patterns.compileUncached(Flavor.REGEX, pattern));
  }

  @ParameterizedTest
  @ValueSource(strings = {"<.*", "*", "[", "{", "a\\"})
  void compileWhenExactThenAnyStringIsLiteral(String pattern) {
    assertEquals(true, Patterns.compileUncached(Flavor.EXACT, pattern).matches(pattern));
    assertEquals(false, Patterns.compileUncached(Flavor.EXACT, pattern).matches(pattern + "x"));
  }

  @org.junit.jupiter.api.Test
  void matchesWhenRegexWouldBacktrackExponentiallyThenLinearTime() {
    String evil = "<(a+)+b>";
    assertEquals(false, Patterns.compileUncached(Flavor.REGEX, evil).matches("a".repeat(10_000) + "c"));
  }

  @org.junit.jupiter.api.Test
  void prefixWhenWildcardPatternThenLiteralTextBeforeIt() {
    assertEquals("resources:articles:", Patterns.compileUncached(Flavor.REGEX, "resources:articles:<.*>").prefix());
    assertEquals("a:b", Patterns.compileUncached(Flavor.GLOB, "a:b*").prefix());
    assertEquals("a*b", Patterns.compileUncached(Flavor.GLOB, "a\\*b").literal());
  }
}
