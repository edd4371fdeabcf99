package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code config} of a {@code webauthn} or {@code passkey} credential, in Kratos' JSON
 * ({@code identity.CredentialsWebAuthnConfig}): {@code {"credentials": [{"id", "public_key", "attestation_type",
 * "authenticator": {"aaguid", "sign_count", "clone_warning"}, "display_name", "added_at", "is_passwordless"}],
 * "user_handle"}}, binary values in standard base64 as Go writes {@code []byte}. Identities imported from Kratos keep
 * working, and an export reads back in Kratos.
 */
public final class WebAuthnCredentials {
  private WebAuthnCredentials() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** One authenticator's credential. */
  public record Key(byte[] id, byte[] publicKey, String attestationType, byte[] aaguid, long signCount,
      boolean cloneWarning, String displayName, @Nullable Instant addedAt, boolean passwordless) {
    public Key {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(publicKey, "publicKey");
      attestationType = attestationType == null ? "" : attestationType;
      aaguid = aaguid == null ? new byte[0] : aaguid;
      displayName = displayName == null ? "" : displayName;
    }

    /** The id in lowercase hex, as Kratos' {@code webauthn_remove} / {@code passkey_remove} buttons carry it. */
    public String hexId() {
      return HexFormat.of().formatHex(id);
    }

    /** After a verified assertion, as go-webauthn's {@code UpdateCounter}: a counter that did not grow is kept, and
     * flagged. */
    public Key afterLogin(long reported) {
      if (WebAuthnCeremonies.cloneWarning(signCount, reported)) {
        return new Key(id, publicKey, attestationType, aaguid, signCount, true, displayName, addedAt, passwordless);
      }
      return new Key(id, publicKey, attestationType, aaguid, reported, cloneWarning, displayName, addedAt,
          passwordless);
    }
  }

  /** The credentials of one type and the user handle the authenticators hold. */
  public record Config(List<Key> keys, byte[] userHandle) {
    public Config {
      keys = List.copyOf(keys);
      userHandle = userHandle == null ? new byte[0] : userHandle;
    }
  }

  /** Reads a stored config; a missing or malformed one is an empty list (nothing to sign in with). */
  public static Config read(@Nullable JsonNode config) {
    List<Key> keys = new ArrayList<>();
    if (config == null) {
      return new Config(keys, new byte[0]);
    }
    for (JsonNode k : config.path("credentials")) {
      byte[] id = bytes(k.path("id"));
      byte[] pk = bytes(k.path("public_key"));
      if (id.length == 0 || pk.length == 0) {
        continue;
      }
      JsonNode a = k.path("authenticator");
      keys.add(new Key(id, pk, k.path("attestation_type").asText(""), bytes(a.path("aaguid")),
          a.path("sign_count").asLong(0), a.path("clone_warning").asBoolean(false), k.path("display_name").asText(""),
          instant(k.path("added_at").asText("")), k.path("is_passwordless").asBoolean(false)));
    }
    return new Config(keys, bytes(config.path("user_handle")));
  }

  /** Writes a config in Kratos' JSON. */
  public static ObjectNode write(Config c) {
    Base64.Encoder b64 = Base64.getEncoder();
    ObjectNode out = F.objectNode();
    ArrayNode arr = out.putArray("credentials");
    for (Key k : c.keys()) {
      ObjectNode n = arr.addObject();
      n.put("id", b64.encodeToString(k.id()));
      n.put("public_key", b64.encodeToString(k.publicKey()));
      n.put("attestation_type", k.attestationType());
      n.putObject("authenticator").put("aaguid", b64.encodeToString(k.aaguid())).put("sign_count", k.signCount())
          .put("clone_warning", k.cloneWarning());
      n.put("display_name", k.displayName());
      n.put("added_at", k.addedAt() == null ? "0001-01-01T00:00:00Z" : k.addedAt().toString());
      n.put("is_passwordless", k.passwordless());
    }
    out.put("user_handle", b64.encodeToString(c.userHandle()));
    return out;
  }

  private static byte[] bytes(JsonNode n) {
    if (!n.isTextual() || n.asText().isEmpty()) {
      return new byte[0];
    }
    try {
      return Base64.getDecoder().decode(n.asText());
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(n.asText().replace("=", ""));
      } catch (IllegalArgumentException e2) {
        return new byte[0];
      }
    }
  }

  private static @Nullable Instant instant(String s) {
    try {
      return s.isEmpty() || s.startsWith("0001-") ? null : Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
