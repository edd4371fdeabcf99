package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticationRequest;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.RegistrationRequest;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.CertificateBaseAttestationStatement;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.util.exception.WebAuthnException;
import io.ory4j.identity.WebAuthnSettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The two WebAuthn ceremonies (registration and assertion) on webauthn4j: the options a browser passes to
 * {@code navigator.credentials.create/get}, and the verification of what the authenticator answered. The caller keeps
 * the challenge (in the flow's internal context) and the stored credentials (in the identity).
 *
 * <p>Verified: the challenge, the origin (one of {@code config.rp.origins}), the RP id hash, user presence, user
 * verification where required, the attestation statement ({@code none}, {@code packed} self or with a certificate,
 * and the other formats webauthn4j knows, without trust-anchor checks, as Kratos), and the assertion signature. The
 * signature counter is not a reason to refuse here: {@link #cloneWarning} tells the caller, as go-webauthn does.
 */
public final class WebAuthnCeremonies {

  /** How long a browser may take for the ceremony, in milliseconds (go-webauthn's default, which Kratos uses). */
  public static final long TIMEOUT_MILLIS = 300_000;

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** ES256, EdDSA and RS256: the algorithms offered and accepted, in order of preference. */
  private static final List<Long> ALGORITHMS = List.of(-7L, -8L, -257L);

  private final ObjectConverter converter = new ObjectConverter();
  private final WebAuthnManager manager;
  private final ObjectMapper json = new ObjectMapper();

  /** A credential the authenticator created, verified. */
  public record Registered(byte[] credentialId, byte[] publicKey, String attestationType, byte[] aaguid,
      long signCount, boolean userVerified) {}

  /** A credential as stored: its id, its COSE public key, the authenticator's AAGUID and last signature counter. */
  public record StoredKey(byte[] credentialId, byte[] publicKey, byte[] aaguid, long signCount) {}

  /** An assertion as sent, parsed but not yet verified. */
  public record Assertion(byte[] credentialId, byte @Nullable [] userHandle, byte[] authenticatorData,
      byte[] clientDataJson, byte[] signature) {}

  /** A verified assertion: the counter the authenticator reported. */
  public record Asserted(long signCount, boolean userVerified) {}

  /** A refused ceremony; {@code getMessage()} says why (no secret in it). */
  public static final class CeremonyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CeremonyException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  public WebAuthnCeremonies() {
    manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    // the counter is compared by the caller, which records a clone warning as Kratos does rather than refusing
    manager.getAuthenticationDataVerifier().setMaliciousCounterValueHandler(o -> { });
  }

  /**
   * The {@code PublicKeyCredentialCreationOptions}, as {@code {"publicKey": {...}}} with base64url binary values (the
   * JSON go-webauthn writes and Kratos' script reads).
   *
   * @param discoverable a passkey: resident key and user verification required
   * @param exclude the ids of credentials the user has already, so the authenticator does not make a second one
   */
  public ObjectNode creationOptions(WebAuthnSettings rp, byte[] challenge, byte[] userHandle, String userName,
      String userDisplayName, boolean discoverable, List<byte[]> exclude) {
    ObjectNode root = F.objectNode();
    ObjectNode pk = root.putObject("publicKey");
    pk.put("challenge", B64URL.encodeToString(challenge));
    pk.putObject("rp").put("name", rp.rpDisplayName()).put("id", rp.rpId());
    pk.putObject("user").put("name", userName).put("displayName", userDisplayName)
        .put("id", B64URL.encodeToString(userHandle));
    ArrayNode params = pk.putArray("pubKeyCredParams");
    ALGORITHMS.forEach(a -> params.addObject().put("type", "public-key").put("alg", a));
    pk.put("timeout", TIMEOUT_MILLIS);
    if (!exclude.isEmpty()) {
      ArrayNode ex = pk.putArray("excludeCredentials");
      exclude.forEach(id -> ex.addObject().put("type", "public-key").put("id", B64URL.encodeToString(id)));
    }
    ObjectNode sel = pk.putObject("authenticatorSelection");
    if (discoverable) {
      sel.put("residentKey", "required").put("requireResidentKey", true).put("userVerification", "required");
    } else {
      sel.put("requireResidentKey", false).put("userVerification", "discouraged");
    }
    pk.put("attestation", "none");
    return root;
  }

  /**
   * The {@code PublicKeyCredentialRequestOptions}, as {@code {"publicKey": {...}}}; an empty {@code allow} list is a
   * discoverable login (the authenticator picks the credential).
   */
  public ObjectNode requestOptions(WebAuthnSettings rp, byte[] challenge, List<byte[]> allow,
      boolean userVerificationRequired) {
    ObjectNode root = F.objectNode();
    ObjectNode pk = root.putObject("publicKey");
    pk.put("challenge", B64URL.encodeToString(challenge));
    pk.put("timeout", TIMEOUT_MILLIS);
    pk.put("rpId", rp.rpId());
    if (!allow.isEmpty()) {
      ArrayNode al = pk.putArray("allowCredentials");
      allow.forEach(id -> al.addObject().put("type", "public-key").put("id", B64URL.encodeToString(id)));
    }
    pk.put("userVerification", userVerificationRequired ? "required" : "discouraged");
    return root;
  }

  /**
   * Verifies a registration ({@code {"id", "rawId", "type": "public-key", "response": {"clientDataJSON",
   * "attestationObject"}}}, binary values base64url) against the challenge the flow issued.
   *
   * @throws CeremonyException when anything does not verify
   */
  public Registered verifyRegistration(WebAuthnSettings rp, byte[] challenge, String credentialJson,
      boolean userVerificationRequired) {
    JsonNode c = parse(credentialJson);
    JsonNode response = c.path("response");
    byte[] clientData = binary(response, "clientDataJSON");
    byte[] attestation = binary(response, "attestationObject");
    RegistrationData data;
    try {
      data = manager.verify(new RegistrationRequest(attestation, clientData),
          new RegistrationParameters(serverProperty(rp, challenge), publicKeyParameters(), userVerificationRequired,
              true));
    } catch (WebAuthnException | IllegalArgumentException e) {
      throw refused("registration", e);
    } catch (RuntimeException e) { // a CBOR or JSON parse error inside webauthn4j
      throw new CeremonyException("The WebAuthn registration could not be parsed.", e);
    }
    var authData = Objects.requireNonNull(data.getAttestationObject()).getAuthenticatorData();
    AttestedCredentialData cred = authData.getAttestedCredentialData();
    if (cred == null) {
      throw new CeremonyException("The WebAuthn registration holds no credential.", null);
    }
    byte[] publicKey = converter.getCborMapper().writeValueAsBytes(cred.getCOSEKey());
    var statement = data.getAttestationObject().getAttestationStatement();
    String type;
    if (statement instanceof NoneAttestationStatement) {
      type = "none";
    } else if (statement instanceof CertificateBaseAttestationStatement cb && cb.getX5c() != null
        && !cb.getX5c().isEmpty()) {
      type = "basic_full";
    } else {
      type = "self";
    }
    return new Registered(cred.getCredentialId(), publicKey, type, cred.getAaguid().getBytes(),
        authData.getSignCount(), authData.isFlagUV());
  }

  /**
   * Parses an assertion ({@code {"id", "rawId", "type": "public-key", "response": {"clientDataJSON",
   * "authenticatorData", "signature", "userHandle"}}}) to find the credential before verifying it.
   */
  public Assertion parseAssertion(String credentialJson) {
    JsonNode c = parse(credentialJson);
    JsonNode r = c.path("response");
    byte[] id = c.hasNonNull("rawId") ? binary(c, "rawId") : binary(c, "id");
    byte[] userHandle = r.hasNonNull("userHandle") && !r.path("userHandle").asText().isEmpty()
        ? binary(r, "userHandle") : null;
    return new Assertion(id, userHandle, binary(r, "authenticatorData"), binary(r, "clientDataJSON"),
        binary(r, "signature"));
  }

  /**
   * Verifies an assertion of {@code key} against the challenge the flow issued.
   *
   * @throws CeremonyException when anything does not verify
   */
  public Asserted verifyAssertion(WebAuthnSettings rp, byte[] challenge, Assertion a, StoredKey key,
      boolean userVerificationRequired) {
    COSEKey coseKey;
    try {
      coseKey = converter.getCborMapper().readValue(key.publicKey(), COSEKey.class);
    } catch (RuntimeException e) {
      throw new CeremonyException("The stored WebAuthn public key is unusable.", e);
    }
    var record = new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, key.signCount(),
        new AttestedCredentialData(new AAGUID(key.aaguid().length == 16 ? key.aaguid() : new byte[16]),
            key.credentialId(), coseKey), null, null, null, null);
    AuthenticationData data;
    try {
      data = manager.verify(new AuthenticationRequest(a.credentialId(), a.userHandle(), a.authenticatorData(),
              a.clientDataJson(), null, a.signature()),
          new AuthenticationParameters(serverProperty(rp, challenge), record, List.of(key.credentialId()),
              userVerificationRequired, true));
    } catch (WebAuthnException | IllegalArgumentException e) {
      throw refused("assertion", e);
    } catch (RuntimeException e) {
      throw new CeremonyException("The WebAuthn assertion could not be parsed.", e);
    }
    var authData = Objects.requireNonNull(data.getAuthenticatorData());
    return new Asserted(authData.getSignCount(), authData.isFlagUV());
  }

  /**
   * go-webauthn's rule, which Kratos stores as {@code clone_warning}: the counter did not increase, unless the
   * authenticator keeps no counter at all (both zero, as synced passkeys).
   */
  public static boolean cloneWarning(long stored, long reported) {
    return reported <= stored && (reported != 0 || stored != 0);
  }

  private static ServerProperty serverProperty(WebAuthnSettings rp, byte[] challenge) {
    Set<Origin> origins = new LinkedHashSet<>();
    rp.origins().forEach(o -> origins.add(new Origin(o)));
    return new ServerProperty(origins, rp.rpId(), new DefaultChallenge(challenge));
  }

  private static List<PublicKeyCredentialParameters> publicKeyParameters() {
    return ALGORITHMS.stream().map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY,
        COSEAlgorithmIdentifier.create(a))).toList();
  }

  private static CeremonyException refused(String ceremony, RuntimeException e) {
    String what = switch (e.getClass().getSimpleName()) {
      case "BadChallengeException", "MissingChallengeException" -> "the challenge is not the one this flow issued";
      case "BadOriginException", "CrossOriginException", "BadTopOriginException" -> "the origin is not allowed";
      case "BadRpIdException" -> "the credential is scoped to another relying party";
      case "BadSignatureException" -> "the signature does not verify";
      case "UserNotPresentException" -> "the authenticator did not confirm user presence";
      case "UserNotVerifiedException" -> "the authenticator did not verify the user";
      case "NotAllowedCredentialIdException" -> "the credential is not one of this account's";
      case "InconsistentClientDataTypeException" -> "the client data is of the wrong type";
      case "NotAllowedAlgorithmException", "BadAlgorithmException" -> "the key algorithm is not allowed";
      case "BadAttestationStatementException" -> "the attestation statement does not verify";
      default -> "it does not verify";
    };
    return new CeremonyException("The WebAuthn " + ceremony + " was refused: " + what + ".", e);
  }

  private JsonNode parse(String credentialJson) {
    if (credentialJson == null || credentialJson.isBlank()) {
      throw new CeremonyException("The WebAuthn response is empty.", null);
    }
    try {
      JsonNode n = json.readTree(credentialJson);
      if (n == null || !n.isObject() || !n.path("response").isObject()) {
        throw new CeremonyException("The WebAuthn response is not a public key credential object.", null);
      }
      if (n.hasNonNull("type") && !"public-key".equals(n.path("type").asText())) {
        throw new CeremonyException("The WebAuthn response is not of type public-key.", null);
      }
      return n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CeremonyException("The WebAuthn response is not JSON.", e);
    }
  }

  private static byte[] binary(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || !v.isTextual()) {
      throw new CeremonyException("The WebAuthn response lacks " + field + ".", null);
    }
    String s = v.asText().replace('+', '-').replace('/', '_');
    int pad = s.indexOf('=');
    try {
      return Base64.getUrlDecoder().decode(pad >= 0 ? s.substring(0, pad) : s);
    } catch (IllegalArgumentException e) {
      throw new CeremonyException("The WebAuthn response's " + field + " is not base64url.", e);
    }
  }

  /** Base64url without padding, as the options and Kratos' script write binary values. */
  public static String base64Url(byte[] b) {
    return B64URL.encodeToString(b);
  }

  /** The UTF-8 bytes of a string (a passkey user handle is stored as its string form, as Kratos). */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
