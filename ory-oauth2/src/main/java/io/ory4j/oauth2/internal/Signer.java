package io.ory4j.oauth2.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.keys.KeyAlgorithm;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Signs JWTs with the current key of a JWK set, creating the key on first use. The current key is looked up again at
 * most once a minute, so a rotation takes effect within a minute without a store read per token.
 */
public final class Signer {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Signer.class);

  private final JwkSetManager keys;
  private final String set;
  private final KeyAlgorithm algorithm;
  private final Clock clock;
  private volatile @Nullable Current current;

  private record Current(JWK key, JWSSigner signer, JWSAlgorithm alg, long fetchedAtMillis) {}

  private final @Nullable List<String> allowed;

  public Signer(JwkSetManager keys, String set, KeyAlgorithm algorithm, Clock clock) {
    this(keys, set, algorithm, clock, null);
  }

  /**
   * @param allowed the only algorithms to sign with (FAPI 2.0's); a current key created for another is rotated: a
   *     new key for {@code algorithm} becomes current (the old one stays published for verification). Null: any.
   */
  public Signer(JwkSetManager keys, String set, KeyAlgorithm algorithm, Clock clock, @Nullable List<String> allowed) {
    this.allowed = allowed == null ? null : List.copyOf(allowed);
    this.keys = keys;
    this.set = set;
    this.algorithm = algorithm;
    this.clock = clock;
  }

  private Current current() {
    Current c = current;
    long now = clock.millis();
    if (c == null || now - c.fetchedAtMillis() > 60_000 || now < c.fetchedAtMillis()) {
      JWK key = keys.currentOrCreate(set, algorithm);
      if (allowed != null && key.getAlgorithm() != null && !allowed.contains(key.getAlgorithm().getName())) {
        log.info("key set {}: the current key {} is for {}, which is not allowed here; rotating to a new {} key", set,
            key.getKeyID(), key.getAlgorithm(), algorithm);
        key = keys.createKey(set, algorithm, "sig", null);
      }
      try {
        // RSA and EC through Nimbus, Ed25519 through the JDK (no Tink needed)
        JWSSigner signer = io.ory4j.core.keys.JwsKeys.signer(key);
        JWSAlgorithm alg = key.getAlgorithm() != null ? JWSAlgorithm.parse(key.getAlgorithm().getName())
            : algorithm.jws();
        c = new Current(key, signer, alg, now);
        current = c;
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("the current key of " + set + " cannot sign", e);
      }
    }
    return c;
  }

  /** Signs the claims; {@code type} is the {@code typ} header (such as {@code at+jwt}), or null. */
  public SignedJWT sign(JWTClaimsSet claims, @Nullable String type) {
    Current c = current();
    JWSHeader.Builder h = new JWSHeader.Builder(c.alg()).keyID(c.key().getKeyID());
    if (type != null) {
      h.type(new JOSEObjectType(type));
    }
    SignedJWT jwt = new SignedJWT(h.build(), claims);
    try {
      jwt.sign(c.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed", e);
    }
    return jwt;
  }

  /** The key set's name. */
  public String set() {
    return set;
  }
}
