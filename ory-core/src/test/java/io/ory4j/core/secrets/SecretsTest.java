package io.ory4j.core.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretsTest {

  private static final String A = "aaaaaaaaaaaaaaaa1";
  private static final String B = "bbbbbbbbbbbbbbbb2";

  @Test
  void ofWhenSecretShorterThan16ThenRefusedNamingIndex() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemSecrets.of(A, "short"));
    assertTrue(e.getMessage().contains("secrets.system[1]"), e.getMessage());
  }

  @Test
  void toStringWhenPrintedThenNoSecret() {
    assertFalse(SystemSecrets.of(A).toString().contains(A));
  }

  @Test
  void encryptWhenDecryptedThenSameBytesAndEachCiphertextDiffers() {
    SecretCipher c = new SecretCipher(SystemSecrets.of(A));
    String x = c.encrypt("hello", "ctx");
    assertNotEquals(x, c.encrypt("hello", "ctx"));
    assertEquals("hello", c.decryptString(x, "ctx"));
  }

  @Test
  void decryptWhenRotatedThenOldCiphertextReadableAndNotCurrent() {
    String old = new SecretCipher(SystemSecrets.of(A)).encrypt("v", "ctx");
    SecretCipher rotated = new SecretCipher(SystemSecrets.of(B, A));
    assertEquals("v", rotated.decryptString(old, "ctx"));
    assertFalse(rotated.isCurrent(old, "ctx"));
    assertTrue(rotated.isCurrent(rotated.encrypt("v", "ctx"), "ctx"));
  }

  @Test
  void decryptWhenWrongSecretOrContextOrTamperedThen500() {
    String x = new SecretCipher(SystemSecrets.of(A)).encrypt("v", "ctx");
    assertThrows(OryException.class, () -> new SecretCipher(SystemSecrets.of(B)).decrypt(x, "ctx"));
    assertThrows(OryException.class, () -> new SecretCipher(SystemSecrets.of(A)).decrypt(x, "other"));
    String tampered = x.substring(0, x.length() - 2) + (x.endsWith("A") ? "BB" : "AA");
    assertThrows(OryException.class, () -> new SecretCipher(SystemSecrets.of(A)).decrypt(tampered, "ctx"));
    assertThrows(OryException.class, () -> new SecretCipher(SystemSecrets.of(A)).decrypt("garbage", "ctx"));
  }

  @Test
  void derivedKeysWhenPurposeDiffersThenKeysDiffer() {
    SystemSecrets s = SystemSecrets.of(A);
    assertFalse(java.util.Arrays.equals(s.derivedKeys("a").get(0), s.derivedKeys("b").get(0)));
    assertArrayEquals(s.derivedKeys("a").get(0), s.derivedKeys("a").get(0));
  }

  @Test
  void constantTimeEqualsWhenNullOrDifferentThenFalse() {
    assertTrue(ConstantTime.equals("abc", "abc"));
    assertFalse(ConstantTime.equals("abc", "abd"));
    assertFalse(ConstantTime.equals("abc", null));
    assertFalse(ConstantTime.equals((byte[]) null, "x".getBytes(StandardCharsets.UTF_8)));
  }
}
