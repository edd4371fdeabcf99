package io.ory4j.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;

/** Comparisons of secrets whose time does not depend on where the inputs differ. */
public final class ConstantTime {
  private ConstantTime() {}

  /** True when both are equal; the time depends only on the lengths. A null equals nothing. */
  public static boolean equals(byte @Nullable [] a, byte @Nullable [] b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a, b);
  }

  /** True when both strings are equal as UTF-8; the time depends only on the lengths. A null equals nothing. */
  public static boolean equals(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
