package io.ory4j.accessrules.internal.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.MatchingStrategy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UrlPatternTest {

  private static UrlPattern regexp(String p) {
    return UrlPattern.compile(p, MatchingStrategy.REGEXP, Duration.ofSeconds(1));
  }

  private static UrlPattern glob(String p) {
    return UrlPattern.compile(p, MatchingStrategy.GLOB, Duration.ofSeconds(1));
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = ';', value = {
      "https://example.com/<.*>;https://example.com/users/1;true",
      "https://example.com/<.*>;http://example.com/users/1;false",
      "https://example.com/users;https://example.com/users/1;false",
      "https://example.com/users;https://example.com/users;true",
      "<http|https>://example.com/users/<[0-9]+>;http://example.com/users/42;true",
      "<http|https>://example.com/users/<[0-9]+>;https://example.com/users/4a;false",
      "https://example.com/a.b;https://example.com/aXb;false",
      "https://example.com/<(?i)abc>;https://example.com/ABC;true",
      "https://example.com/files/<[^/]+>.json;https://example.com/files/x.json;true",
      "https://example.com/files/<[^/]+>.json;https://example.com/files/x/y.json;false",
  })
  void matchWhenRegexpThenAnchoredWithLiteralText(String pattern, String url, boolean expected) {
    assertEquals(expected, regexp(pattern).matches(url));
  }

  @Test
  void matchWhenRegexpThenEveryDelimitedPartIsACaptureGroup() {
    UrlPattern p = regexp("<http|https>://example.com/users/<[0-9]+>/posts/<([a-z]+)-([0-9]+)>");
    assertEquals(List.of("https", "42", "abc-7", "abc", "7"), p.match("https://example.com/users/42/posts/abc-7"));
    assertEquals("re2j", p.engine());
  }

  @Test
  void compileWhenLookaroundThenJdkEngineUnderDeadline() {
    UrlPattern p = regexp("https://example.com/<(?!admin).*>");
    assertEquals("jdk", p.engine());
    assertTrue(p.matches("https://example.com/users"));
    assertFalse(p.matches("https://example.com/admin/x"));
    assertEquals(List.of("users"), p.match("https://example.com/users"));
  }

  @Test
  void matchWhenLookaroundPatternPassesDeadlineThenTimesOut() {
    UrlPattern p = UrlPattern.compile("https://example.com/<(?=a)(a+)+b>", MatchingStrategy.REGEXP,
        Duration.ofNanos(1));
    assertThrows(RegexTimeoutException.class, () -> p.match("https://example.com/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://example.com/<[0-9+>|invalid regular expression",
      "https://example.com/<.*|unbalanced",
      "https://example.com/.*>|unbalanced",
  })
  void compileWhenInvalidThenReason(String pattern, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> regexp(pattern));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @ParameterizedTest(name = "{0} ~ {1} = {2}")
  @CsvSource(delimiter = '|', value = {
      "https://example.com/<*>|https://example.com/users|true",
      "https://example.com/<*>|https://example.com/users/1|false",
      "https://example.com/<**>|https://example.com/users/1|true",
      "https://<*>.example.com/|https://api.example.com/|true",
      "https://<*>.example.com/|https://a.b.example.com/|false",
      "https://<**>.example.com/|https://a.b.example.com/|true",
      "<{http,https}>://example.com/users/<?>|http://example.com/users/1|true",
      "<{http,https}>://example.com/users/<?>|ftp://example.com/users/1|false",
      "<{http,https}>://example.com/users/<?>|http://example.com/users/12|false",
      "https://example.com/<[a-c]>|https://example.com/b|true",
      "https://example.com/<[a-c]>|https://example.com/d|false",
      "https://example.com/<[!a-c]>|https://example.com/d|true",
      "https://example.com/<{users,groups}/*>|https://example.com/groups/7|true",
      "https://example.com/<{users,groups}/*>|https://example.com/teams/7|false",
      "https://example.com/a.b|https://example.com/aXb|false",
      "https://example.com/<\\*>|https://example.com/*|true",
      "https://example.com/<\\*>|https://example.com/x|false",
  })
  void matchWhenGlobThenGobwasSemantics(String pattern, String url, boolean expected) {
    assertEquals(expected, glob(pattern).matches(url));
  }

  @Test
  void matchWhenGlobThenNoCaptureGroups() {
    assertEquals(List.of(), glob("https://example.com/<*>").match("https://example.com/x"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://example.com/<[a-c>|never closed",
      "https://example.com/<{a,b>|never closed",
      "https://example.com/<a}>|closes nothing",
  })
  void compileWhenGlobInvalidThenReason(String pattern, String reason) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> glob(pattern));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void literalPrefixesWhenLeadingAlternationThenExpanded() {
    assertEquals(List.of("http://example.com/users/", "https://example.com/users/"),
        regexp("<http|https>://example.com/users/<[0-9]+>").literalPrefixes());
    assertEquals(List.of("http://example.com/", "https://example.com/"),
        glob("<{http,https}>://example.com/<**>").literalPrefixes());
    assertEquals(List.of(""), regexp("<.*>://example.com/").literalPrefixes());
    assertEquals(List.of("https://example.com/"), regexp("https://example.com/<.*>").literalPrefixes());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/|/",
      "''|/",
      "/a//b|/a/b",
      "/a/./b|/a/b",
      "/public/../admin|/admin",
      "/../../etc|/etc",
      "/a/b/|/a/b/",
      "/a/b/..|/a/",
  })
  void cleanPathWhenDotsAndSlashesThenResolved(String in, String out) {
    assertEquals(out, MatchUrl.cleanPath(in));
  }

  @Test
  void matchUrlWhenBuiltThenLowerCaseSchemeAndHostAndNoQuery() {
    assertEquals("https://example.com/A", MatchUrl.of("HTTPS", "Example.COM", "/A"));
    assertNull(regexp("https://example.com/a").match("https://example.com/a?x=1"));
  }

  @Test
  void compileWhenLiteralOrTrailingAnyThenFastPathWithSameSemantics() {
    UrlPattern any = regexp("https://example.com/api/<.*>");
    assertEquals("prefix", any.engine());
    assertEquals(List.of("a/b"), any.match("https://example.com/api/a/b"));
    assertNull(any.match("https://example.com/api/a\nb"), "like Go, . does not match a newline");
    assertNull(any.match("https://example.com/apix"));
    UrlPattern super_ = glob("https://example.com/api/<**>");
    assertEquals("prefix", super_.engine());
    assertEquals(List.of(), super_.match("https://example.com/api/a.b/c"));
    assertEquals("literal", regexp("https://example.com/api").engine());
    assertTrue(glob("https://example.com/a.b").matches("https://example.com/a.b"));
  }
}
