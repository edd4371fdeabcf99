package io.ory4j.core.secrets;

import io.ory4j.core.error.OryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts values at rest with AES-256-GCM under the {@link SystemSecrets}: the current secret encrypts; every
 * secret is tried to decrypt, so old ciphertexts stay readable after a rotation. The associated data binds a
 * ciphertext to where it is stored (for example a key set and key id), so it cannot be moved elsewhere.
 *
 * <p>Format: {@code v1.} followed by unpadded base64url of a 12-byte nonce and the ciphertext with its 16-byte tag.
 */
public final class SecretCipher {

  private static final String PREFIX = "v1.";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final List<byte[]> keys;
  private final SecureRandom random;

  public SecretCipher(SystemSecrets secrets) {
    this(secrets, new SecureRandom());
  }

  public SecretCipher(SystemSecrets secrets, SecureRandom random) {
    this.keys = Objects.requireNonNull(secrets, "secrets").derivedKeys("aes-gcm");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Encrypts {@code plaintext} under the current secret, bound to {@code associatedData}. */
  public String encrypt(byte[] plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keys.get(0), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      byte[] ct = c.doFinal(plaintext);
      ByteBuffer out = ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct);
      return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required", e);
    }
  }

  /** Encrypts a string. */
  public String encrypt(String plaintext, String associatedData) {
    return encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
  }

  /**
   * Decrypts with the first secret that authenticates the ciphertext.
   *
   * @throws OryException 500 with a clear message when no configured secret decrypts it (a wrong or removed
   *     secret, or data that was tampered with)
   */
  public byte[] decrypt(String ciphertext, String associatedData) {
    if (ciphertext == null || !ciphertext.startsWith(PREFIX)) {
      throw decryptFailure("the value is not in ory4j's encrypted format");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(ciphertext.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw decryptFailure("the value is not valid base64url");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw decryptFailure("the value is too short");
    }
    for (byte[] key : keys) {
      try {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
        c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      } catch (AEADBadTagException e) {
        // try the next secret
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-GCM is required", e);
      }
    }
    throw decryptFailure("none of the configured system secrets decrypts it; was secrets.system changed without "
        + "keeping the old secret in the list?");
  }

  /** Decrypts to a string. */
  public String decryptString(String ciphertext, String associatedData) {
    return new String(decrypt(ciphertext, associatedData), StandardCharsets.UTF_8);
  }

  /** True when the current secret produced {@code ciphertext} (so no re-encryption is needed after a rotation). */
  public boolean isCurrent(String ciphertext, String associatedData) {
    try {
      byte[] raw = Base64.getUrlDecoder().decode(ciphertext.substring(PREFIX.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(keys.get(0), "AES"), new GCMParameterSpec(TAG_BITS, raw, 0,
          NONCE_BYTES));
      c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static OryException decryptFailure(String why) {
    return OryException.internal("Unable to decrypt a stored secret: " + why + ".")
        .withReason("secret decryption failed")
        .withId("secret_decryption_failed");
  }
}
