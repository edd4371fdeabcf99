package io.ory4j.core.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.spi.StoredKey;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JwkSetManagerTest {

  private static final String OLD = "old-secret-0123456789";
  private static final String NEW = "new-secret-0123456789";

  private final InMemoryJwkSetStore store = new InMemoryJwkSetStore();
  private Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private JwkSetManager manager(String... secrets) {
    return new JwkSetManager(store, new SecretCipher(SystemSecrets.of(secrets)), clock, IdGenerator.randomV4());
  }

  @ParameterizedTest
  @EnumSource(value = KeyAlgorithm.class, names = {"RS256", "ES256", "EdDSA"})
  void createKeyWhenAlgorithmThenSignsAndPublicViewVerifies(KeyAlgorithm alg) throws Exception {
    JwkSetManager m = manager(OLD);
    JWK key = m.createKey("hydra.openid.id-token", alg, "sig", "k1");
    assertTrue(key.isPrivate());
    JWSObject jws = new JWSObject(new JWSHeader.Builder(alg.jws()).keyID("k1").build(), new Payload("hi"));
    jws.sign(JwsKeys.signer(key));
    JWK pub = m.publicSet("hydra.openid.id-token").getKeyByKeyId("k1");
    assertFalse(pub.isPrivate());
    assertEquals(alg.jws(), JwsKeys.algorithm(pub));
    assertTrue(JWSObject.parse(jws.serialize()).verify(JwsKeys.verifier(pub)));
    JWK other = manager(OLD).createKey("other", alg, "sig", "k2").toPublicJWK();
    assertFalse(JWSObject.parse(jws.serialize()).verify(JwsKeys.verifier(other)));
  }

  @Test
  void storeWhenKeyCreatedThenPrivatePartEncryptedAtRest() {
    JWK key = manager(OLD).createKey("s", KeyAlgorithm.RS256, "sig", "k1");
    StoredKey stored = store.find("s", "k1").orElseThrow();
    assertTrue(stored.encryptedPrivateJwk().startsWith("v1."));
    String d = key.toRSAKey().getPrivateExponent().toString();
    assertFalse(stored.encryptedPrivateJwk().contains(d));
    assertFalse(stored.publicJwk().contains("\"d\""));
  }

  @Test
  void rotateWhenSetHasKeyThenNewKeyIsCurrentAndOldKeyStays() {
    JwkSetManager m = manager(OLD);
    m.createKey("s", KeyAlgorithm.ES256, "sig", "k1");
    clock = Clock.offset(clock, Duration.ofSeconds(5));
    JWK rotated = manager(OLD).rotate("s");
    assertEquals(rotated.getKeyID(), m.current("s").orElseThrow().getKeyID());
    assertEquals("ES256", rotated.getAlgorithm().getName());
    assertEquals(List.of(rotated.getKeyID(), "k1"),
        m.publicSet("s").getKeys().stream().map(JWK::getKeyID).toList());
  }

  @Test
  void decryptWhenSecretRotatedWithOldKeptThenOldKeysReadable() {
    manager(OLD).createKey("s", KeyAlgorithm.RS256, "sig", "k1");
    JwkSetManager rotated = manager(NEW, OLD);
    assertTrue(rotated.privateKey("s", "k1").orElseThrow().isPrivate());
    rotated.createKey("s", KeyAlgorithm.RS256, "sig", "k2");
    assertEquals(2, rotated.privateSet("s").size());
  }

  @Test
  void decryptWhenWrongSecretThenClearError() {
    manager(OLD).createKey("s", KeyAlgorithm.RS256, "sig", "k1");
    OryException e = assertThrows(OryException.class, () -> manager(NEW).privateKey("s", "k1"));
    assertEquals(500, e.status());
    assertTrue(e.getMessage().contains("none of the configured system secrets"), e.getMessage());
    assertTrue(manager(NEW).publicKey("s", "k1").isPresent(), "the public view needs no secret");
  }

  @Test
  void decryptWhenCiphertextMovedToAnotherKidThenRefused() {
    manager(OLD).createKey("s", KeyAlgorithm.RS256, "sig", "k1");
    StoredKey k1 = store.find("s", "k1").orElseThrow();
    store.add(new StoredKey("s", "k2", k1.algorithm(), k1.use(), k1.publicJwk(), k1.encryptedPrivateJwk(),
        k1.createdAt()));
    assertThrows(OryException.class, () -> manager(OLD).privateKey("s", "k2"));
  }

  @Test
  void currentOrCreateWhenEmptyThenCreatesOnceThenReuses() {
    JwkSetManager m = manager(OLD);
    JWK a = m.currentOrCreate("s", KeyAlgorithm.RS256);
    JWK b = m.currentOrCreate("s", KeyAlgorithm.RS256);
    assertEquals(a.getKeyID(), b.getKeyID());
  }

  @Test
  void deleteWhenKeyOrSetThenGone() {
    JwkSetManager m = manager(OLD);
    m.createKey("s", KeyAlgorithm.RS256, "sig", "k1");
    m.createKey("s", KeyAlgorithm.RS256, "sig", "k2");
    assertTrue(m.deleteKey("s", "k1"));
    assertEquals(List.of("s"), m.sets());
    assertTrue(m.deleteSet("s"));
    assertTrue(m.sets().isEmpty());
  }

  @Test
  void createKeyWhenBadUseOrSetNameThen400() {
    JwkSetManager m = manager(OLD);
    assertEquals(400, assertThrows(OryException.class, () -> m.createKey("s", KeyAlgorithm.RS256, "x", null))
        .status());
    assertEquals(400, assertThrows(OryException.class, () -> m.createKey(" ", KeyAlgorithm.RS256, "sig", null))
        .status());
  }

  @Test
  void parseWhenUnknownAlgorithmThenListsSupported() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyAlgorithm.parse("HS256"));
    assertTrue(e.getMessage().contains("EdDSA"), e.getMessage());
  }
}
