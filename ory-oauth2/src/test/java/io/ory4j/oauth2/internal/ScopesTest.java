package io.ory4j.oauth2.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ScopesTest {

  @Test
  void matchesWhenWildcardThenFositeSemantics() {
    List<String> allowed = List.of("read", "write.*", "a.b");
    assertTrue(Scopes.matches(true, allowed, "read"));
    assertTrue(Scopes.matches(true, allowed, "write.files"));
    assertTrue(Scopes.matches(true, allowed, "write.files.all"));
    assertFalse(Scopes.matches(true, allowed, "write"));
    assertFalse(Scopes.matches(true, allowed, "a.b.c"));
    assertFalse(Scopes.matches(true, allowed, "reader"));
    assertFalse(Scopes.matches(false, allowed, "write.files"));
  }

  @Property
  void matchesWhenScopeListedThenMatchedByBothStrategies(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String s) {
    assertTrue(Scopes.matches(true, List.of(s), s));
    assertTrue(Scopes.matches(false, List.of(s), s));
    assertFalse(Scopes.matches(false, List.of(s), s + "x"));
  }
}
