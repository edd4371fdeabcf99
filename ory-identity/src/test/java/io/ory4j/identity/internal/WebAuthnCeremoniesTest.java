package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.identity.TestAuthenticator;
import io.ory4j.identity.WebAuthnSettings;
import io.ory4j.identity.internal.WebAuthnCeremonies.CeremonyException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebAuthnCeremoniesTest {

  private static final String ORIGIN = "https://auth.example.com";
  private static final WebAuthnSettings RP = WebAuthnSettings.of("example.com", "Example", ORIGIN);
  private final WebAuthnCeremonies ceremonies = new WebAuthnCeremonies();
  private final byte[] challenge = new byte[32];

  {
    for (int i = 0; i < challenge.length; i++) {
      challenge[i] = (byte) (7 * i + 1);
    }
  }

  private ObjectNode creation() {
    return ceremonies.creationOptions(RP, challenge, "user-1".getBytes(), "a@example.com", "a@example.com", false,
        List.of());
  }

  private WebAuthnCeremonies.StoredKey enrol(TestAuthenticator a) {
    WebAuthnCeremonies.Registered r = ceremonies.verifyRegistration(RP, challenge, a.register(creation(), ORIGIN,
        "none"), false);
    return new WebAuthnCeremonies.StoredKey(r.credentialId(), r.publicKey(), r.aaguid(), r.signCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "packed"})
  void verifyRegistrationWhenAuthenticatorAnswersThenCredentialAndAttestationType(String format) {
    TestAuthenticator a = new TestAuthenticator((byte) 1);
    WebAuthnCeremonies.Registered r = ceremonies.verifyRegistration(RP, challenge, a.register(creation(), ORIGIN,
        format), true);
    assertArrayEquals(a.credentialId(), r.credentialId());
    assertEquals(format.equals("none") ? "none" : "self", r.attestationType());
    assertEquals(16, r.aaguid().length);
    assertTrue(r.userVerified());
    assertTrue(r.publicKey().length > 64, "a COSE EC2 key");
  }

  @Test
  void creationOptionsWhenPasskeyThenResidentKeyAndUserVerificationRequired() {
    ObjectNode o = ceremonies.creationOptions(RP, challenge, new byte[] {1}, "n", "d", true, List.of(new byte[] {9}));
    assertEquals("required", o.at("/publicKey/authenticatorSelection/residentKey").asText());
    assertEquals("required", o.at("/publicKey/authenticatorSelection/userVerification").asText());
    assertEquals("example.com", o.at("/publicKey/rp/id").asText());
    assertEquals("CQ", o.at("/publicKey/excludeCredentials/0/id").asText());
    assertEquals(-7, o.at("/publicKey/pubKeyCredParams/0/alg").asInt());
  }

  @Test
  void verifyRegistrationWhenWrongOriginThenRefused() {
    TestAuthenticator a = new TestAuthenticator((byte) 1);
    String answer = a.register(creation(), "https://evil.example.net", "none");
    CeremonyException e = assertThrows(CeremonyException.class,
        () -> ceremonies.verifyRegistration(RP, challenge, answer, false));
    assertTrue(e.getMessage().contains("origin"), e.getMessage());
  }

  @Test
  void verifyRegistrationWhenOtherChallengeThenRefused() {
    TestAuthenticator a = new TestAuthenticator((byte) 1);
    String answer = a.register(creation(), ORIGIN, "packed");
    byte[] other = challenge.clone();
    other[0] ^= 1;
    CeremonyException e = assertThrows(CeremonyException.class,
        () -> ceremonies.verifyRegistration(RP, other, answer, false));
    assertTrue(e.getMessage().contains("challenge"), e.getMessage());
  }

  @Test
  void verifyRegistrationWhenMalformedThenRefusedNotCrashed() {
    assertThrows(CeremonyException.class, () -> ceremonies.verifyRegistration(RP, challenge, "{", false));
    assertThrows(CeremonyException.class, () -> ceremonies.verifyRegistration(RP, challenge,
        "{\"response\":{\"clientDataJSON\":\"e30\",\"attestationObject\":\"oA\"}}", false));
    assertThrows(CeremonyException.class, () -> ceremonies.verifyRegistration(RP, challenge,
        "{\"response\":{\"clientDataJSON\":\"!!\",\"attestationObject\":\"oA\"}}", false));
  }

  @Test
  void verifyAssertionWhenSignedByTheCredentialThenCounter() {
    TestAuthenticator a = new TestAuthenticator((byte) 2);
    WebAuthnCeremonies.StoredKey key = enrol(a);
    ObjectNode req = ceremonies.requestOptions(RP, challenge, List.of(key.credentialId()), false);
    WebAuthnCeremonies.Assertion as = ceremonies.parseAssertion(a.assertion(req, ORIGIN));
    WebAuthnCeremonies.Asserted ok = ceremonies.verifyAssertion(RP, challenge, as, key, true);
    assertEquals(1, ok.signCount());
    assertArrayEquals("user-1".getBytes(), as.userHandle());
  }

  @Test
  void verifyAssertionWhenWrongRpIdOrOriginOrSignatureThenRefused() {
    TestAuthenticator a = new TestAuthenticator((byte) 3);
    WebAuthnCeremonies.StoredKey key = enrol(a);
    String c = WebAuthnCeremonies.base64Url(challenge);
    var wrongRp = ceremonies.parseAssertion(a.assertion(c, a.honest(ORIGIN, "other.example")));
    assertTrue(assertThrows(CeremonyException.class, () -> ceremonies.verifyAssertion(RP, challenge, wrongRp, key,
        false)).getMessage().contains("relying party"));
    var wrongOrigin = ceremonies.parseAssertion(a.assertion(c, a.honest("https://phish.example", "example.com")));
    assertTrue(assertThrows(CeremonyException.class, () -> ceremonies.verifyAssertion(RP, challenge, wrongOrigin,
        key, false)).getMessage().contains("origin"));
    ObjectNode req = ceremonies.requestOptions(RP, challenge, List.of(), false);
    var forged = ceremonies.parseAssertion(a.assertionSignedByAnotherKey(req, ORIGIN));
    assertTrue(assertThrows(CeremonyException.class, () -> ceremonies.verifyAssertion(RP, challenge, forged, key,
        false)).getMessage().contains("signature"));
  }

  @Test
  void verifyAssertionWhenVerificationRequiredButNotDoneThenRefused() {
    TestAuthenticator a = new TestAuthenticator((byte) 4);
    WebAuthnCeremonies.StoredKey key = enrol(a);
    String c = WebAuthnCeremonies.base64Url(challenge);
    var noUv = ceremonies.parseAssertion(a.assertion(c, new TestAuthenticator.Tweaks(ORIGIN, "example.com", true,
        false, null)));
    assertTrue(assertThrows(CeremonyException.class, () -> ceremonies.verifyAssertion(RP, challenge, noUv, key,
        true)).getMessage().contains("verify the user"));
    var noUp = ceremonies.parseAssertion(a.assertion(c, new TestAuthenticator.Tweaks(ORIGIN, "example.com", false,
        false, null)));
    assertThrows(CeremonyException.class, () -> ceremonies.verifyAssertion(RP, challenge, noUp, key, false));
  }

  @Test
  void cloneWarningWhenCounterDoesNotIncreaseThenTrueUnlessBothZero() {
    assertTrue(WebAuthnCeremonies.cloneWarning(5, 5));
    assertTrue(WebAuthnCeremonies.cloneWarning(5, 3));
    assertFalse(WebAuthnCeremonies.cloneWarning(5, 6));
    assertFalse(WebAuthnCeremonies.cloneWarning(0, 0));
  }
}
