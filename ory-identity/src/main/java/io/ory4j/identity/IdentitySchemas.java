package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.ory4j.core.error.OryException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The identity schemas, as Kratos' {@code identity.schemas}: JSON Schemas by id, one of them the default. Traits are
 * validated with a JSON Schema validator against the whole identity document ({@code {"traits": ...}}), as Kratos
 * does, and the {@code ory.sh/kratos} extension on trait properties says which traits are password identifiers
 * ({@code credentials.password.identifier}), verification addresses ({@code verification.via}) and recovery
 * addresses ({@code recovery.via}).
 */
public final class IdentitySchemas {

  private final Map<String, Entry> schemas;
  private final String defaultId;

  /** One schema. */
  private record Entry(String id, JsonNode raw, JsonSchema compiled) {}

  /** A trait the {@code ory.sh/kratos} extension marks. */
  public record MarkedTrait(String pointer, boolean passwordIdentifier, String verificationVia, String recoveryVia) {}

  private IdentitySchemas(Map<String, Entry> schemas, String defaultId) {
    this.schemas = Map.copyOf(schemas);
    this.defaultId = defaultId;
  }

  /** Schemas by id; {@code defaultId} must be one of them. */
  public static IdentitySchemas of(String defaultId, Map<String, JsonNode> schemas) {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    Map<String, Entry> m = new LinkedHashMap<>();
    schemas.forEach((id, raw) -> m.put(id, new Entry(id, raw, factory.getSchema(raw))));
    if (!m.containsKey(defaultId)) {
      throw new IllegalArgumentException("identity.default_schema_id \"" + defaultId + "\" is not among the schemas "
          + m.keySet());
    }
    return new IdentitySchemas(m, defaultId);
  }

  public String defaultId() {
    return defaultId;
  }

  /** The schema ids. */
  public List<String> ids() {
    return List.copyOf(schemas.keySet());
  }

  /** The raw schema. */
  public Optional<JsonNode> schema(String id) {
    return Optional.ofNullable(schemas.get(id)).map(Entry::raw);
  }

  /** Kratos' schema id in URLs: base64url of the id, as {@code /schemas/{id}} uses it. */
  public static String urlId(String id) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Validates traits against a schema.
   *
   * @throws OryException 400 naming each invalid trait (in {@code details.messages}, pointer and message)
   */
  public void validate(String schemaId, JsonNode traits) {
    Entry e = schemas.get(schemaId);
    if (e == null) {
      throw OryException.badRequest("The identity schema \"" + schemaId + "\" is unknown.").withDetail("field",
          "schema_id");
    }
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.set("traits", traits);
    Set<ValidationMessage> errors = e.compiled().validate(doc);
    if (!errors.isEmpty()) {
      List<Map<String, String>> messages = new ArrayList<>();
      errors.stream().sorted(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())))
          .forEach(m -> messages.add(Map.of("instance_ptr", pointer(m), "message", message(m))));
      throw OryException.badRequest("The request was malformed or contained invalid parameters")
          .withReason(messages.get(0).get("instance_ptr") + ": " + messages.get(0).get("message"))
          .withId("schema_validation_failed")
          .withDetail("messages", messages);
    }
  }

  private static String pointer(ValidationMessage m) {
    String p = String.valueOf(m.getInstanceLocation()).replace("$", "").replace('.', '/');
    if (m.getProperty() != null && "required".equals(m.getType())) {
      p = p + "/" + m.getProperty();
    }
    return p.isEmpty() ? "#" : "#" + (p.startsWith("/") ? p : "/" + p);
  }

  private static String message(ValidationMessage m) {
    String text = m.getMessage();
    // drop the location prefix the validator writes ("$.traits.email: ...")
    int colon = text.indexOf(": ");
    return colon > 0 && text.startsWith("$") ? text.substring(colon + 2) : text;
  }

  /** The traits the {@code ory.sh/kratos} extension marks, with their JSON pointers inside the traits. */
  public List<MarkedTrait> marked(String schemaId) {
    Entry e = schemas.get(schemaId);
    if (e == null) {
      return List.of();
    }
    List<MarkedTrait> out = new ArrayList<>();
    walk(e.raw().path("properties").path("traits"), "", out);
    return out;
  }

  private static void walk(JsonNode schema, String pointer, List<MarkedTrait> out) {
    JsonNode ext = schema.path("ory.sh/kratos");
    if (ext.isObject()) {
      boolean id = ext.path("credentials").path("password").path("identifier").asBoolean(false);
      String verification = ext.path("verification").path("via").asText(null);
      String recovery = ext.path("recovery").path("via").asText(null);
      if (id || verification != null || recovery != null) {
        out.add(new MarkedTrait(pointer, id, verification, recovery));
      }
    }
    schema.path("properties").fields().forEachRemaining(f -> walk(f.getValue(), pointer + "/" + f.getKey(), out));
  }

  /** The password identifiers of traits: the marked values, lower-cased as Kratos stores them. */
  public List<String> passwordIdentifiers(String schemaId, JsonNode traits) {
    List<String> ids = new ArrayList<>();
    for (MarkedTrait t : marked(schemaId)) {
      if (t.passwordIdentifier()) {
        JsonNode v = traits.at(t.pointer());
        if (v.isTextual() && !v.asText().isBlank()) {
          ids.add(v.asText().trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return ids;
  }

  /**
   * The TOTP account name: the value of the first trait marked {@code "ory.sh/kratos": {"credentials": {"totp":
   * {"account_name": true}}}}, as Kratos shows it in the authenticator app; empty when no trait is marked.
   */
  public Optional<String> totpAccountName(String schemaId, JsonNode traits) {
    List<String> values = markedValues(schemaId, traits, "totp", "account_name");
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /**
   * The webauthn identifiers of traits: the values of traits marked {@code "ory.sh/kratos": {"credentials":
   * {"webauthn": {"identifier": true}}}}, lower-cased as Kratos stores identifiers; empty when no trait is marked.
   */
  public List<String> webAuthnIdentifiers(String schemaId, JsonNode traits) {
    return markedValues(schemaId, traits, "webauthn", "identifier").stream().map(v -> v.toLowerCase(Locale.ROOT))
        .toList();
  }

  /**
   * The name a passkey is shown under: the value of the first trait marked {@code "ory.sh/kratos": {"credentials":
   * {"passkey": {"display_name": true}}}}; empty when no trait is marked.
   */
  public Optional<String> passkeyDisplayName(String schemaId, JsonNode traits) {
    List<String> values = markedValues(schemaId, traits, "passkey", "display_name");
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The trimmed, non-blank values of traits marked {@code credentials.<method>.<flag>}, in schema order. */
  private List<String> markedValues(String schemaId, JsonNode traits, String method, String flag) {
    Entry e = schemas.get(schemaId);
    if (e == null) {
      return List.of();
    }
    List<String> pointers = new ArrayList<>();
    walkCredentialFlag(e.raw().path("properties").path("traits"), "", method, flag, pointers);
    List<String> out = new ArrayList<>();
    for (String p : pointers) {
      JsonNode v = traits.at(p);
      if (v.isTextual() && !v.asText().isBlank()) {
        out.add(v.asText().trim());
      }
    }
    return out;
  }

  private static void walkCredentialFlag(JsonNode schema, String pointer, String method, String flag,
      List<String> out) {
    if (schema.path("ory.sh/kratos").path("credentials").path(method).path(flag).asBoolean(false)) {
      out.add(pointer);
    }
    schema.path("properties").fields().forEachRemaining(f -> walkCredentialFlag(f.getValue(), pointer + "/"
        + f.getKey(), method, flag, out));
  }

  /** Values of traits marked for verification or recovery. */
  public List<String[]> addresses(String schemaId, JsonNode traits, boolean verification) {
    List<String[]> out = new ArrayList<>();
    for (MarkedTrait t : marked(schemaId)) {
      String via = verification ? t.verificationVia() : t.recoveryVia();
      JsonNode v = traits.at(t.pointer());
      if (via != null && v.isTextual() && !v.asText().isBlank()) {
        out.add(new String[] {v.asText().trim().toLowerCase(Locale.ROOT), via});
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "IdentitySchemas" + schemas.keySet();
  }

  static String requireNonBlank(String s, String what) {
    Objects.requireNonNull(s, what);
    return s;
  }
}
