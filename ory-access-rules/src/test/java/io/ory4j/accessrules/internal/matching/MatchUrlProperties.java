package io.ory4j.accessrules.internal.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.accessrules.MatchingStrategy;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MatchUrlProperties {

  @Provide
  Arbitrary<String> paths() {
    return Arbitraries.of("", "/", "a", ".", "..", "//", "b.c", "%2e", "x y").list().ofMaxSize(8)
        .map(parts -> "/" + String.join("/", parts));
  }

  @Property
  void cleanPathWhenAnyPathThenIdempotentAndWithoutDotSegments(@ForAll("paths") String path) {
    String clean = MatchUrl.cleanPath(path);
    assertTrue(clean.startsWith("/"));
    assertEquals(clean, MatchUrl.cleanPath(clean));
    assertFalse(clean.contains("//"), clean);
    assertFalse(clean.contains("/../") || clean.endsWith("/.."), clean);
    assertFalse(clean.contains("/./") || clean.endsWith("/."), clean);
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().withChars("abz09./-_:?*+()[]{}|^$\\ ").ofMaxLength(20);
  }

  @Property
  void compileWhenNoDelimitersThenMatchesExactlyItself(@ForAll("literals") String literal,
      @ForAll("literals") String other) {
    for (MatchingStrategy s : MatchingStrategy.values()) {
      UrlPattern p = UrlPattern.compile(literal, s, Duration.ofSeconds(1));
      assertTrue(p.matches(literal), s + " " + literal);
      assertEquals(literal.equals(other), p.matches(other), s + " " + literal + " vs " + other);
    }
  }
}
