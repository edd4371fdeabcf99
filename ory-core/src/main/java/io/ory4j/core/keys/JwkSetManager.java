package io.ory4j.core.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.JWKGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.spi.StoredKey;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages JSON Web Key sets: creates RS256, ES256 and EdDSA (and the other {@link KeyAlgorithm}) keys, lists, gets,
 * rotates and deletes them, and gives the public view for {@code /.well-known/jwks.json}. Private keys are encrypted
 * at rest with {@link SecretCipher}, bound to their set and kid.
 *
 * <p>The newest key of a set is its current signing key; a rotation adds a new key and keeps the old ones, so tokens
 * they signed still verify until the old key is deleted.
 */
public final class JwkSetManager {

  private static final Logger log = LoggerFactory.getLogger(JwkSetManager.class);

  private final JwkSetStore store;
  private final SecretCipher cipher;
  private final Clock clock;
  private final IdGenerator ids;

  public JwkSetManager(JwkSetStore store, SecretCipher cipher, Clock clock, IdGenerator ids) {
    this.store = Objects.requireNonNull(store, "store");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /**
   * Generates a key and adds it to {@code set} as its newest key.
   *
   * @param kid the key id, or null for a random UUID
   * @param use {@code sig} or {@code enc}
   * @return the new private key
   */
  public JWK createKey(String set, KeyAlgorithm algorithm, String use, @Nullable String kid) {
    requireName(set);
    KeyUse keyUse = parseUse(use);
    String keyId = kid == null || kid.isBlank() ? ids.nextString() : kid;
    JWK jwk = generate(algorithm, keyUse, keyId);
    store(set, jwk, algorithm.name());
    log.debug("created {} key {} in set {}", algorithm, keyId, set);
    return jwk;
  }

  /** Imports an existing private (or public-only) key into {@code set}. */
  public JWK importKey(String set, JWK jwk) {
    requireName(set);
    if (jwk.getKeyID() == null || jwk.getKeyID().isBlank()) {
      throw OryException.badRequest("A JSON Web Key must have a \"kid\" to be imported.");
    }
    if (jwk.getAlgorithm() == null) {
      throw OryException.badRequest("A JSON Web Key must have an \"alg\" to be imported.");
    }
    store(set, jwk, jwk.getAlgorithm().getName());
    return jwk;
  }

  private void store(String set, JWK jwk, String alg) {
    String use = jwk.getKeyUse() == null ? "sig" : jwk.getKeyUse().identifier();
    String publicJson = jwk.toPublicJWK().toJSONString();
    String encrypted = cipher.encrypt(jwk.toJSONString(), aad(set, jwk.getKeyID()));
    store.add(new StoredKey(set, jwk.getKeyID(), alg, use, publicJson, encrypted, clock.instant()));
  }

  /**
   * Adds a new key to {@code set} with the algorithm and use of its current key (RS256 and sig for an empty set).
   *
   * @return the new current key
   */
  public JWK rotate(String set) {
    List<StoredKey> keys = store.findSet(set);
    KeyAlgorithm alg = keys.isEmpty() ? KeyAlgorithm.RS256 : KeyAlgorithm.parse(keys.get(0).algorithm());
    String use = keys.isEmpty() ? "sig" : keys.get(0).use();
    log.info("rotating key set {}", set);
    return createKey(set, alg, use, null);
  }

  /** The current (newest) private key of {@code set}, creating one with {@code algorithm} when the set is empty. */
  public JWK currentOrCreate(String set, KeyAlgorithm algorithm) {
    List<StoredKey> keys = store.findSet(set);
    if (!keys.isEmpty()) {
      return decrypt(keys.get(0));
    }
    try {
      return createKey(set, algorithm, "sig", null);
    } catch (io.ory4j.core.storage.DuplicateException race) {
      return decrypt(store.findSet(set).get(0));
    }
  }

  /** The current (newest) private key of {@code set}. */
  public Optional<JWK> current(String set) {
    List<StoredKey> keys = store.findSet(set);
    return keys.isEmpty() ? Optional.empty() : Optional.of(decrypt(keys.get(0)));
  }

  /** All keys of {@code set} with their private parts, newest first. */
  public JWKSet privateSet(String set) {
    return new JWKSet(store.findSet(set).stream().map(this::decrypt).toList());
  }

  /** The public view of {@code set}, newest first: what {@code /.well-known/jwks.json} shows. */
  public JWKSet publicSet(String set) {
    return new JWKSet(store.findSet(set).stream().map(JwkSetManager::parsePublic).toList());
  }

  /** One key with its private part. */
  public Optional<JWK> privateKey(String set, String kid) {
    return store.find(set, kid).map(this::decrypt);
  }

  /** One key's public view. */
  public Optional<JWK> publicKey(String set, String kid) {
    return store.find(set, kid).map(JwkSetManager::parsePublic);
  }

  /** Deletes one key; true when it existed. */
  public boolean deleteKey(String set, String kid) {
    return store.delete(set, kid);
  }

  /** Deletes a set; true when it had keys. */
  public boolean deleteSet(String set) {
    return store.deleteSet(set) > 0;
  }

  /** The names of all key sets. */
  public List<String> sets() {
    return store.listSets();
  }

  private JWK decrypt(StoredKey k) {
    String json = cipher.decryptString(k.encryptedPrivateJwk(), aad(k.set(), k.kid()));
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw OryException.internal("The stored key " + k.kid() + " of set " + k.set() + " is not a valid JWK.");
    }
  }

  private static JWK parsePublic(StoredKey k) {
    try {
      return JWK.parse(k.publicJwk());
    } catch (ParseException e) {
      throw OryException.internal("The stored public key " + k.kid() + " of set " + k.set() + " is not a valid JWK.");
    }
  }

  private static String aad(String set, String kid) {
    return "jwk:" + set.length() + ":" + set + ":" + kid;
  }

  private static void requireName(String set) {
    if (set == null || set.isBlank() || set.length() > 255) {
      throw OryException.badRequest("A key set name must have 1 to 255 characters.");
    }
  }

  private static KeyUse parseUse(String use) {
    if ("sig".equals(use)) {
      return KeyUse.SIGNATURE;
    }
    if ("enc".equals(use)) {
      return KeyUse.ENCRYPTION;
    }
    throw OryException.badRequest("The key use must be \"sig\" or \"enc\", was \"" + use + "\".");
  }

  private static JWK generate(KeyAlgorithm algorithm, KeyUse use, String kid) {
    JWKGenerator<? extends JWK> generator = switch (algorithm) {
      case RS256, RS384, RS512, PS256 -> new RSAKeyGenerator(RSAKeyGenerator.MIN_KEY_SIZE_BITS * 2);
      case ES256 -> new ECKeyGenerator(Curve.P_256);
      case ES384 -> new ECKeyGenerator(Curve.P_384);
      case ES512 -> new ECKeyGenerator(Curve.P_521);
      case EdDSA -> null;
    };
    if (generator == null) {
      return Ed25519.generate(kid, use);
    }
    try {
      return generator.keyID(kid).keyUse(use).algorithm(algorithm.jws()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("could not generate a " + algorithm + " key", e);
    }
  }
}
