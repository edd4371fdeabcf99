package io.ory4j.core.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/** Nimbus signers and verifiers for the keys ory4j manages, EdDSA included (through {@link Ed25519}). */
public final class JwsKeys {
  private JwsKeys() {}

  /** A signer for a private RSA, EC or Ed25519 JWK. */
  public static JWSSigner signer(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return new RSASSASigner(rsa);
      }
      if (key instanceof ECKey ec) {
        return new ECDSASigner(ec);
      }
      if (key instanceof OctetKeyPair okp) {
        return Ed25519.signer(okp);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot sign with key " + key.getKeyID() + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("unsupported key type " + key.getKeyType() + " for signing");
  }

  /** A verifier for a public RSA, EC or Ed25519 JWK. */
  public static JWSVerifier verifier(JWK key) {
    try {
      if (key instanceof RSAKey rsa) {
        return new RSASSAVerifier(rsa);
      }
      if (key instanceof ECKey ec) {
        return new ECDSAVerifier(ec);
      }
      if (key instanceof OctetKeyPair okp) {
        return Ed25519.verifier(okp);
      }
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot verify with key " + key.getKeyID() + ": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("unsupported key type " + key.getKeyType() + " for verification");
  }

  /** The JWS algorithm of a key: its {@code alg}, else the usual one for its type. */
  public static JWSAlgorithm algorithm(JWK key) {
    if (key.getAlgorithm() != null) {
      return JWSAlgorithm.parse(key.getAlgorithm().getName());
    }
    if (key instanceof ECKey ec) {
      return ECDSAVerifier.SUPPORTED_ALGORITHMS.stream().filter(a -> {
        try {
          return com.nimbusds.jose.crypto.impl.ECDSA.resolveAlgorithm(ec.getCurve()).equals(a);
        } catch (JOSEException e) {
          return false;
        }
      }).findFirst().orElse(JWSAlgorithm.ES256);
    }
    return key instanceof OctetKeyPair ? JWSAlgorithm.EdDSA : JWSAlgorithm.RS256;
  }
}
