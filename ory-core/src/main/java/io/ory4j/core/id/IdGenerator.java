package io.ory4j.core.id;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;

/**
 * Generates ids. Injected into every service so tests can make ids predictable.
 *
 * <p>{@link #randomV4()} gives random UUIDs (as Ory's servers use); {@link #timeOrderedV7(Clock)} gives RFC 9562
 * version 7 UUIDs, whose order follows creation time, for keys where insertion order helps an index.
 */
@FunctionalInterface
public interface IdGenerator {

  /** The next id. */
  UUID next();

  /** The next id as a string. */
  default String nextString() {
    return next().toString();
  }

  /** Random version 4 UUIDs from a {@link SecureRandom}. */
  static IdGenerator randomV4() {
    return randomV4(new SecureRandom());
  }

  /** Random version 4 UUIDs from {@code random}. */
  static IdGenerator randomV4(java.util.Random random) {
    Objects.requireNonNull(random, "random");
    return () -> {
      byte[] b = new byte[16];
      random.nextBytes(b);
      b[6] = (byte) ((b[6] & 0x0f) | 0x40);
      b[8] = (byte) ((b[8] & 0x3f) | 0x80);
      return fromBytes(b);
    };
  }

  /** RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds from {@code clock}, then random bits. */
  static IdGenerator timeOrderedV7(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    SecureRandom random = new SecureRandom();
    return () -> {
      byte[] b = new byte[16];
      random.nextBytes(b);
      long millis = clock.millis();
      for (int i = 0; i < 6; i++) {
        b[i] = (byte) (millis >>> (40 - 8 * i));
      }
      b[6] = (byte) ((b[6] & 0x0f) | 0x70);
      b[8] = (byte) ((b[8] & 0x3f) | 0x80);
      return fromBytes(b);
    };
  }

  private static UUID fromBytes(byte[] b) {
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      msb = (msb << 8) | (b[i] & 0xff);
    }
    for (int i = 8; i < 16; i++) {
      lsb = (lsb << 8) | (b[i] & 0xff);
    }
    return new UUID(msb, lsb);
  }
}
