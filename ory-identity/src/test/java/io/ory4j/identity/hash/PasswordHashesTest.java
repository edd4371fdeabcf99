package io.ory4j.identity.hash;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;

class PasswordHashesTest {

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{1}")
  @CsvFileSource(resources = "/hash/known-good.csv", delimiter = '|', quoteCharacter = '\'')
  void matchesWhenKnownGoodHashThenRightPasswordMatchesAndWrongDoesNot(String password, String hash) {
    assertDoesNotThrow(() -> PasswordHashes.validate(hash));
    assertTrue(PasswordHashes.matches(b(password), hash));
    assertFalse(PasswordHashes.matches(b(password + "x"), hash));
    assertFalse(PasswordHashes.matches(b(""), hash));
  }

  @ParameterizedTest(name = "{0}")
  @CsvFileSource(resources = "/hash/known-bad.csv", delimiter = '|', quoteCharacter = '\'')
  void validateWhenKnownBadHashThenRefusedWithReason(String hash, String reason) {
    PasswordHashException e = assertThrows(PasswordHashException.class, () -> PasswordHashes.validate(hash));
    assertTrue(e.error().reason().contains(reason), e.error().reason());
    assertThrows(PasswordHashException.class, () -> PasswordHashes.matches(b("test"), hash));
  }

  @Test
  void bcryptWhenHashedThenVerifiesAndRehashOnCostChange() {
    BcryptHasher h = new BcryptHasher(4, new SecureRandom());
    String hash = h.hash(b("correct horse"));
    assertTrue(hash.startsWith("$2a$04$"));
    assertTrue(PasswordHashes.matches(b("correct horse"), hash));
    assertFalse(h.needsRehash(hash));
    assertTrue(new BcryptHasher(5, new SecureRandom()).needsRehash(hash));
    assertTrue(h.needsRehash("$argon2id$v=19$m=32,t=5,p=4$cm94YnRVOW5jZzFzcVE4bQ$fBxypOL0nP/zdPE71JtAV71i487LbX3fJI5PoTN6Lp4"));
  }

  @Test
  void bcryptWhenPasswordOver72BytesThenRefusedAsKratos() {
    BcryptHasher h = new BcryptHasher(4, new SecureRandom());
    assertThrows(PasswordHashException.class, () -> h.hash(b("x".repeat(73))));
  }

  @Test
  void argon2WhenHashedThenVerifiesAndRehashOnParameterChange() {
    Argon2Hasher h = new Argon2Hasher(new Argon2Hasher.Params(64, 1, 1, 16, 32), new SecureRandom());
    String hash = h.hash(b("pw"));
    assertTrue(hash.startsWith("$argon2id$v=19$m=64,t=1,p=1$"));
    assertTrue(PasswordHashes.matches(b("pw"), hash));
    assertFalse(h.needsRehash(hash));
    assertTrue(new Argon2Hasher(new Argon2Hasher.Params(128, 1, 1, 16, 32), new SecureRandom()).needsRehash(hash));
    assertTrue(h.needsRehash("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
  }

  @Test
  void argon2ParamsWhenKratosDefaultsThen128MiBOneIteration() {
    Argon2Hasher.Params p = Argon2Hasher.Params.kratosDefaults();
    assertTrue(p.memoryKiB() == 131072 && p.iterations() == 1 && p.saltLength() == 16 && p.keyLength() == 32);
  }

  @Property(tries = 2000)
  void validateWhenArbitraryStringThenHashExceptionOrAcceptedNeverOtherException(
      @ForAll @StringLength(max = 120) String s) {
    try {
      PasswordHashes.validate(s);
    } catch (PasswordHashException expected) {
      // a clear refusal
    }
  }

  @Property(tries = 500)
  void validateWhenArbitraryTailAfterKnownPrefixThenNeverOtherException(@ForAll("prefixes") String prefix,
      @ForAll @StringLength(max = 80) String tail) {
    try {
      PasswordHashes.validate(prefix + tail);
    } catch (PasswordHashException expected) {
      // a clear refusal
    }
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<String> prefixes() {
    return net.jqwik.api.Arbitraries.of("$argon2id$v=19$m=", "$2a$", "$pbkdf2-sha256$i=", "$scrypt$ln=",
        "$firescrypt$ln=", "$sha1$pf=", "{SSHA}", "$md5$", "$hmac-sha256$", "$argon2i$v=19$m=32,t=1,p=1$",
        "$md5-crypt$", "$sha256-crypt$rounds=", "$sha512-crypt$");
  }
}
