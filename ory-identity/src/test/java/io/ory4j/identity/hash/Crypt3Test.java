package io.ory4j.identity.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drepper's SHA-crypt test vectors and MD5-crypt vectors (all cross-checked against glibc's crypt(3) and
 * {@code openssl passwd}).
 */
class Crypt3Test {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', value = {
      "Hello world!|$5$saltstring|$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5",
      "Hello world!|$6$saltstring|$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1",
      "Hello world!|$5$rounds=10000$saltstringsaltstring|$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA",
      "Hello world!|$6$rounds=10000$saltstringsaltstring|$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
      "test|$1$TVEiiKNb|$1$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/",
      "test|$1$|$1$$whuMjZj.HMFoaTaZRRtkO0",
  })
  void cryptWhenSpecificationVectorThenSameHash(String password, String setting, String expected) {
    assertEquals(expected, Crypt3.crypt(b(password), setting));
  }

  @Test
  void cryptWhenRoundsBelowMinimumThenClampedTo1000AsTheSpecification() {
    assertEquals(Crypt3.crypt(b("pw"), "$5$rounds=1000$salt"), Crypt3.crypt(b("pw"), "$5$rounds=10$salt"));
    assertTrue(Crypt3.crypt(b("pw"), "$5$rounds=10$salt").startsWith("$5$rounds=1000$salt$"));
  }

  @Test
  void matchesWhenRoundsAboveBoundThenRefusedBeforeComputing() {
    String hash = "$sha512-crypt$rounds=999999999$salt$" + "a".repeat(86);
    PasswordHashException e = assertThrows(PasswordHashException.class,
        () -> PasswordHashes.matches(b("pw"), hash));
    assertTrue(e.error().reason().contains("at most 1000000"));
  }

  @Test
  void matchesWhenLongPasswordAndSaltThenTruncatedSaltStillVerifies() {
    String native6 = Crypt3.crypt(b("a much longer password than sixty-four bytes, to cover the repeat branch!!"),
        "$6$rounds=1000$0123456789abcdefXYZ");
    String kratos = native6.replace("$6$", "$sha512-crypt$");
    assertTrue(PasswordHashes.matches(b("a much longer password than sixty-four bytes, to cover the repeat branch!!"),
        kratos));
    assertFalse(PasswordHashes.matches(b("a much longer password"), kratos));
    assertEquals("crypt", PasswordHashes.algorithm(kratos));
  }

  @Test
  void matchesWhenPasswordOver4096BytesThenRefusedBeforeComputing() {
    String hash = "$sha512-crypt$rounds=1000000$salt$" + "a".repeat(86);
    assertThrows(PasswordHashException.class, () -> PasswordHashes.matches(new byte[1 << 20], hash));
    assertFalse(PasswordHashes.matches(new byte[4096], "$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/"));
  }
}
