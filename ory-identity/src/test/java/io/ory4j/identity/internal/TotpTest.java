package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

  static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  /** RFC 6238 Appendix B, the SHA1 rows (8 digits). */
  @ParameterizedTest
  @CsvSource({
      "59, 0000000000000001, 94287082",
      "1111111109, 00000000023523EC, 07081804",
      "1111111111, 00000000023523ED, 14050471",
      "1234567890, 000000000273EF07, 89005924",
      "2000000000, 0000000003F940AA, 69279037",
      "20000000000, 0000000027BC86AA, 65353130"})
  void codeWhenRfc6238Sha1VectorThenMatchesAppendixB(long time, String hexStep, String expected) {
    long step = Totp.step(time);
    assertEquals(Long.parseLong(hexStep, 16), step);
    assertEquals(expected, Totp.code(RFC_SECRET, step, 8, "HmacSHA1"));
    // Kratos' 6 digits are the last 6 of the 8 (both are the same value modulo a power of ten)
    assertEquals(expected.substring(2), Totp.code(RFC_SECRET, step));
  }

  @Test
  void matchingStepWhenCodeOfNeighbourStepThenAcceptedWithinOneStepOfSkew() {
    long now = Totp.step(1111111111);
    assertEquals(now - 1, Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now - 1), now));
    assertEquals(now + 1, Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now + 1), now));
    assertEquals(-1, Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now - 2), now));
    assertEquals(-1, Totp.matchingStep(RFC_SECRET, Totp.code(RFC_SECRET, now + 2), now));
  }

  @Test
  void matchingStepWhenNotSixDigitsThenRefused() {
    assertEquals(-1, Totp.matchingStep(RFC_SECRET, "12345", 1));
    assertEquals(-1, Totp.matchingStep(RFC_SECRET, "12345a", 1));
    assertEquals(-1, Totp.matchingStep(RFC_SECRET, "", 1));
  }

  @Test
  void base32WhenRfc4648VectorsThenEncodedWithoutPaddingAndDecodedBack() {
    assertEquals("MZXW6YTBOI", Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("MZXQ", Totp.base32("fo".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET));
    assertArrayEquals(RFC_SECRET, Totp.fromBase32("gezdgnbvgy3tqojqgezdgnbvgy3tqojq").orElseThrow());
    assertArrayEquals("fo".getBytes(StandardCharsets.US_ASCII), Totp.fromBase32("MZXQ====").orElseThrow());
    assertEquals(Optional.empty(), Totp.fromBase32("not base32!"));
  }

  @Test
  void uriWhenIssuerAndAccountThenKratosKeyUriAndSecretReadBack() {
    String uri = Totp.uri("My App", "alice@example.com", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assertEquals("otpauth://totp/My%20App:alice%40example.com?algorithm=SHA1&digits=6&issuer=My+App&period=30"
        + "&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", uri);
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.secretOf(uri).orElseThrow());
    assertTrue(Totp.secretOf("https://example.com/?secret=ABC").isEmpty());
    assertTrue(Totp.secretOf("otpauth://totp/x?secret=1!").isEmpty());
    assertTrue(Totp.secretOf("::not a uri").isEmpty());
  }
}
