package io.ory4j.oauth2.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.id.SecretGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretHasherTest {

  private final SecretHasher hasher = new SecretHasher(1000, Duration.ofMinutes(1), SecretGenerator.secureRandom(),
      Clock.systemUTC());

  @Test
  void verifyWhenSecretMatchesAnyLiveHashThenTrue() {
    String h1 = hasher.hash("secret-one");
    String h2 = hasher.hash("secret-two");
    assertTrue(hasher.verify("c", List.of(h1, h2), "secret-two"));
    assertTrue(hasher.verify("c", List.of(h1, h2), "secret-two"), "cached");
    assertFalse(hasher.verify("c", List.of(h1, h2), "secret-three"));
    assertFalse(hasher.verify("c", List.of(h1), "secret-two"), "a cache entry is bound to the stored hash");
  }

  @Test
  void verifyWhenHashMalformedThenFalseNotException() {
    assertFalse(hasher.verify("c", List.of("$pbkdf2-sha256$garbage", "plain", ""), "x"));
  }
}
