package io.ory4j.core.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Set;

/**
 * Ed25519 (JOSE {@code EdDSA}) on the JDK's own provider (Java 15+), so ory4j needs no Tink: key generation as an
 * {@link OctetKeyPair}, and a Nimbus {@link JWSSigner} and {@link JWSVerifier}.
 */
public final class Ed25519 {
  private Ed25519() {}

  /** Generates an Ed25519 key pair as a JWK. */
  public static OctetKeyPair generate(String kid, KeyUse use) {
    try {
      KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] d = ((EdECPrivateKey) kp.getPrivate()).getBytes().orElseThrow();
      byte[] x = encodePoint(((EdECPublicKey) kp.getPublic()).getPoint());
      return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).keyID(kid)
          .keyUse(use).algorithm(JWSAlgorithm.EdDSA).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's Ed25519 provider is required", e);
    }
  }

  /** A signer for an Ed25519 private JWK. */
  public static JWSSigner signer(OctetKeyPair key) {
    if (!Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
      throw new IllegalArgumentException("an Ed25519 private key is required");
    }
    PrivateKey priv = privateKey(key);
    return new JWSSigner() {
      private final JCAContext jca = new JCAContext();

      @Override
      public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
          throw new JOSEException("only EdDSA is supported by this key");
        }
        try {
          Signature s = Signature.getInstance("Ed25519");
          s.initSign(priv);
          s.update(signingInput);
          return Base64URL.encode(s.sign());
        } catch (GeneralSecurityException e) {
          throw new JOSEException(e.getMessage(), e);
        }
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
      }

      @Override
      public JCAContext getJCAContext() {
        return jca;
      }
    };
  }

  /** A verifier for an Ed25519 public JWK. */
  public static JWSVerifier verifier(OctetKeyPair key) {
    if (!Curve.Ed25519.equals(key.getCurve())) {
      throw new IllegalArgumentException("an Ed25519 key is required");
    }
    PublicKey pub = publicKey(key);
    return new JWSVerifier() {
      private final JCAContext jca = new JCAContext();

      @Override
      public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
          return false;
        }
        try {
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(pub);
          s.update(signingInput);
          return s.verify(signature.decode());
        } catch (GeneralSecurityException e) {
          return false;
        }
      }

      @Override
      public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
      }

      @Override
      public JCAContext getJCAContext() {
        return jca;
      }
    };
  }

  private static PrivateKey privateKey(OctetKeyPair key) {
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, key.getDecodedD()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 private key", e);
    }
  }

  private static PublicKey publicKey(OctetKeyPair key) {
    byte[] x = key.getDecodedX();
    if (x.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
    }
    boolean xOdd = (x[31] & 0x80) != 0;
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = x[31 - i];
    }
    be[0] &= 0x7f;
    try {
      return KeyFactory.getInstance("Ed25519")
          .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, be))));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 public key", e);
    }
  }

  /** RFC 8032 encoding: y little-endian, the top bit of the last byte is x's parity. */
  private static byte[] encodePoint(EdECPoint p) {
    byte[] be = p.getY().toByteArray();
    byte[] le = new byte[32];
    for (int i = 0; i < be.length && i < 32; i++) {
      le[i] = be[be.length - 1 - i];
    }
    if (p.isXOdd()) {
      le[31] |= (byte) 0x80;
    }
    return le;
  }
}
