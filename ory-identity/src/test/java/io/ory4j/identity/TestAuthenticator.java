package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A software WebAuthn authenticator for tests: one EC P-256 credential, whose registration (attestation {@code none}
 * or {@code packed} self attestation) and assertions it builds byte by byte as the WebAuthn spec lays them out: CBOR
 * authenticator data, the client data JSON a browser writes, and an ES256 signature. Nothing here comes from the
 * library the server verifies with, so a test proves the server reads what an authenticator writes.
 */
public final class TestAuthenticator {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyPair key;
  private final byte[] credentialId;
  private final byte[] aaguid = new byte[16];
  private long counter;
  private byte[] userHandle = new byte[0];

  /** The facts a test may bend: where the browser says it is, which RP the authenticator signs for, the flags. */
  public record Tweaks(String origin, String rpId, boolean userPresent, boolean userVerified, String type) {}

  public TestAuthenticator(byte seed) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      key = g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    credentialId = new byte[32];
    for (int i = 0; i < credentialId.length; i++) {
      credentialId[i] = (byte) (seed * 31 + i);
    }
    for (int i = 0; i < aaguid.length; i++) {
      aaguid[i] = (byte) (0xa0 + i);
    }
  }

  public byte[] credentialId() {
    return credentialId.clone();
  }

  /** The credential id in hex, as Kratos' {@code webauthn_remove} and {@code passkey_remove} values name it. */
  public String credentialIdHex() {
    return java.util.HexFormat.of().formatHex(credentialId);
  }

  /** Sets the signature counter the next assertion reports (one more than this). */
  public TestAuthenticator counter(long c) {
    counter = c;
    return this;
  }

  public Tweaks honest(String origin, String rpId) {
    return new Tweaks(origin, rpId, true, true, null);
  }

  /** The registration answer to {@code options} ({@code {"publicKey": {...}}}) as the browser script posts it. */
  public String register(JsonNode options, String origin, String format) {
    JsonNode pk = options.path("publicKey");
    return register(pk.path("challenge").asText(), new Tweaks(origin, pk.path("rp").path("id").asText(), true, true,
        null), format, pk.path("user").path("id").asText(""));
  }

  public String register(String challengeB64, Tweaks t, String format, String userIdB64) {
    userHandle = Base64.getUrlDecoder().decode(userIdB64);
    byte[] clientData = clientData(t.type() != null ? t.type() : "webauthn.create", challengeB64, t.origin());
    ByteArrayOutputStream ad = new ByteArrayOutputStream();
    ad.writeBytes(sha256(t.rpId().getBytes(StandardCharsets.UTF_8)));
    ad.write(flags(t) | 0x40);
    ad.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
    ad.writeBytes(aaguid);
    ad.write(credentialId.length >> 8);
    ad.write(credentialId.length & 0xff);
    ad.writeBytes(credentialId);
    ad.writeBytes(coseKey());
    byte[] authData = ad.toByteArray();
    Map<Object, Object> attStmt = new LinkedHashMap<>();
    if (format.equals("packed")) {
      attStmt.put("alg", -7);
      attStmt.put("sig", sign(concat(authData, sha256(clientData))));
    } else if (!format.equals("none")) {
      throw new IllegalArgumentException(format);
    }
    Map<Object, Object> att = new LinkedHashMap<>();
    att.put("fmt", format);
    att.put("attStmt", attStmt);
    att.put("authData", authData);
    ObjectNode out = credential(clientData);
    ((ObjectNode) out.path("response")).put("attestationObject", B64.encodeToString(cbor(att)));
    return out.toString();
  }

  /** The assertion answer to {@code options} ({@code {"publicKey": {...}}}) as the browser script posts it. */
  public String assertion(JsonNode options, String origin) {
    JsonNode pk = options.path("publicKey");
    return assertion(pk.path("challenge").asText(), new Tweaks(origin, pk.path("rpId").asText(), true, true, null));
  }

  public String assertion(String challengeB64, Tweaks t) {
    counter++;
    byte[] clientData = clientData(t.type() != null ? t.type() : "webauthn.get", challengeB64, t.origin());
    ByteArrayOutputStream ad = new ByteArrayOutputStream();
    ad.writeBytes(sha256(t.rpId().getBytes(StandardCharsets.UTF_8)));
    ad.write(flags(t));
    ad.writeBytes(ByteBuffer.allocate(4).putInt((int) counter).array());
    byte[] authData = ad.toByteArray();
    ObjectNode out = credential(clientData);
    ObjectNode r = (ObjectNode) out.path("response");
    r.put("authenticatorData", B64.encodeToString(authData));
    r.put("signature", B64.encodeToString(sign(concat(authData, sha256(clientData)))));
    r.put("userHandle", B64.encodeToString(userHandle));
    return out.toString();
  }

  /** A PublicKeyCredential's JSON as a browser script serializes it: ids, type, client data. */
  private ObjectNode credential(byte[] clientData) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", B64.encodeToString(credentialId));
    out.put("rawId", B64.encodeToString(credentialId));
    out.put("type", "public-key");
    out.putObject("response").put("clientDataJSON", B64.encodeToString(clientData));
    out.putObject("clientExtensionResults");
    return out;
  }

  /** An assertion whose signature is not the credential's (the right length and form, wrong key). */
  public String assertionSignedByAnotherKey(JsonNode options, String origin) {
    TestAuthenticator other = new TestAuthenticator((byte) 99);
    System.arraycopy(credentialId, 0, other.credentialId, 0, credentialId.length);
    other.userHandle = userHandle;
    other.counter = counter;
    return other.assertion(options, origin);
  }

  private static int flags(Tweaks t) {
    return (t.userPresent() ? 0x01 : 0) | (t.userVerified() ? 0x04 : 0);
  }

  private static byte[] clientData(String type, String challengeB64, String origin) {
    return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challengeB64 + "\",\"origin\":\"" + origin
        + "\",\"crossOrigin\":false}").getBytes(StandardCharsets.UTF_8);
  }

  private byte[] coseKey() {
    ECPublicKey pub = (ECPublicKey) key.getPublic();
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put(1, 2); // kty: EC2
    m.put(3, -7); // alg: ES256
    m.put(-1, 1); // crv: P-256
    m.put(-2, fixed(pub.getW().getAffineX()));
    m.put(-3, fixed(pub.getW().getAffineY()));
    return cbor(m);
  }

  private static byte[] fixed(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(32, b.length);
    System.arraycopy(b, b.length - n, out, 32 - n, n);
    return out;
  }

  private byte[] sign(byte[] data) {
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(key.getPrivate());
      s.update(data);
      return s.sign();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- a minimal CBOR writer (RFC 8949): maps, integers, byte and text strings ----

  static byte[] cbor(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  private static void write(ByteArrayOutputStream out, Object v) {
    if (v instanceof Integer i) {
      if (i >= 0) {
        head(out, 0, i);
      } else {
        head(out, 1, -1L - i);
      }
    } else if (v instanceof byte[] b) {
      head(out, 2, b.length);
      out.writeBytes(b);
    } else if (v instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      head(out, 3, b.length);
      out.writeBytes(b);
    } else if (v instanceof Map<?, ?> m) {
      head(out, 5, m.size());
      m.forEach((k, x) -> {
        write(out, k);
        write(out, x);
      });
    } else {
      throw new IllegalArgumentException("cannot encode " + v);
    }
  }

  private static void head(ByteArrayOutputStream out, int major, long n) {
    int mt = major << 5;
    if (n < 24) {
      out.write(mt | (int) n);
    } else if (n < 256) {
      out.write(mt | 24);
      out.write((int) n);
    } else if (n < 65536) {
      out.write(mt | 25);
      out.write((int) (n >> 8));
      out.write((int) n & 0xff);
    } else {
      out.write(mt | 26);
      out.writeBytes(ByteBuffer.allocate(4).putInt((int) n).array());
    }
  }
}
