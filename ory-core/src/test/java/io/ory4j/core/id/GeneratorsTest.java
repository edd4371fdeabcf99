package io.ory4j.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

  @Test
  void randomV4WhenGeneratedThenVersion4AndUnique() {
    IdGenerator g = IdGenerator.randomV4();
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      UUID u = g.next();
      assertEquals(4, u.version());
      assertEquals(2, u.variant());
      assertTrue(seen.add(u));
    }
  }

  @Test
  void timeOrderedV7WhenClockAdvancesThenOrderedByTime() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    UUID a = IdGenerator.timeOrderedV7(Clock.fixed(t, ZoneOffset.UTC)).next();
    UUID b = IdGenerator.timeOrderedV7(Clock.fixed(t.plusMillis(1), ZoneOffset.UTC)).next();
    assertEquals(7, a.version());
    assertTrue(a.toString().compareTo(b.toString()) < 0);
    assertEquals(t.toEpochMilli(), a.getMostSignificantBits() >>> 16);
  }

  @Test
  void nextStringWhenAlphabetThenOnlyAlphabetCharacters() {
    String s = SecretGenerator.secureRandom().nextString(500, "ABC");
    assertEquals(500, s.length());
    assertTrue(s.chars().allMatch(c -> c == 'A' || c == 'B' || c == 'C'));
  }

  @Test
  void nextTokenWhen32BytesThen43Base64UrlChars() {
    String t = SecretGenerator.secureRandom().nextToken(32);
    assertEquals(43, t.length());
    assertTrue(t.matches("[A-Za-z0-9_-]+"));
  }
}
