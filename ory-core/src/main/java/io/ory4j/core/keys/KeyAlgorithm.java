package io.ory4j.core.keys;

import com.nimbusds.jose.JWSAlgorithm;
import java.util.Arrays;
import java.util.Locale;

/** The signing algorithms ory4j generates keys for. */
public enum KeyAlgorithm {
  RS256(JWSAlgorithm.RS256),
  RS384(JWSAlgorithm.RS384),
  RS512(JWSAlgorithm.RS512),
  PS256(JWSAlgorithm.PS256),
  ES256(JWSAlgorithm.ES256),
  ES384(JWSAlgorithm.ES384),
  ES512(JWSAlgorithm.ES512),
  EdDSA(JWSAlgorithm.EdDSA);

  private final JWSAlgorithm jws;

  KeyAlgorithm(JWSAlgorithm jws) {
    this.jws = jws;
  }

  /** The Nimbus algorithm. */
  public JWSAlgorithm jws() {
    return jws;
  }

  /** Parses a JWS algorithm name, case-sensitively as JOSE names are ({@code EdDSA}, not {@code EDDSA}). */
  public static KeyAlgorithm parse(String name) {
    for (KeyAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unsupported key algorithm \"" + name + "\"; supported: "
        + Arrays.toString(values()).toLowerCase(Locale.ROOT).replace("eddsa", "EdDSA").toUpperCase(Locale.ROOT)
            .replace("EDDSA", "EdDSA"));
  }
}
