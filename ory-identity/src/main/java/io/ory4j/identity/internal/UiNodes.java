package io.ory4j.identity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.identity.IdentitySchemas;
import io.ory4j.identity.UiMessage;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Builds Kratos' UI nodes for the password method, with Kratos' label ids. */
public final class UiNodes {
  private UiNodes() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static ObjectNode input(String group, String name, String type, JsonNode value, boolean required,
      String autocomplete, long labelId, String labelText) {
    ObjectNode node = F.objectNode();
    node.put("type", "input");
    node.put("group", group);
    ObjectNode attrs = node.putObject("attributes");
    attrs.put("name", name);
    attrs.put("type", type);
    if (value != null && !value.isNull() && !value.isMissingNode()) {
      attrs.set("value", value);
    }
    if (required) {
      attrs.put("required", true);
    }
    if (autocomplete != null) {
      attrs.put("autocomplete", autocomplete);
    }
    attrs.put("disabled", false);
    attrs.put("node_type", "input");
    node.putArray("messages");
    ObjectNode meta = node.putObject("meta");
    if (labelText != null) {
      ObjectNode label = meta.putObject("label");
      label.put("id", labelId);
      label.put("text", labelText);
      label.put("type", "info");
    }
    return node;
  }

  /** The registration form: csrf_token, every trait of the schema, password, and the submit button. */
  public static ArrayNode registration(IdentitySchemas schemas, String schemaId, JsonNode traits, String csrf) {
    ArrayNode nodes = csrfAndTraits(schemas, schemaId, traits, csrf, "password");
    nodes.add(input("password", "password", "password", null, true, "new-password", 1070001, "Password"));
    ObjectNode submit = input("password", "method", "submit", F.textNode("password"), false, null, 1040001,
        "Sign up");
    nodes.add(submit);
    return nodes;
  }

  /** The csrf_token node and one node per trait of the schema (in {@code group}), with the given values. */
  private static ArrayNode csrfAndTraits(IdentitySchemas schemas, String schemaId, JsonNode traits, String csrf,
      String group) {
    ArrayNode nodes = F.arrayNode();
    nodes.add(input("default", "csrf_token", "hidden", F.textNode(csrf), true, null, 0, null));
    JsonNode props = schemas.schema(schemaId).map(s -> s.path("properties").path("traits")).orElse(F.objectNode());
    List<String> required = new java.util.ArrayList<>();
    props.path("required").forEach(r -> required.add(r.asText()));
    addTraits(nodes, props, "traits", traits, required, group);
    return nodes;
  }

  private static void addTraits(ArrayNode nodes, JsonNode schema, String prefix, JsonNode values,
      List<String> required, String group) {
    Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = prefix + "." + e.getKey();
      JsonNode s = e.getValue();
      JsonNode v = values == null ? null : values.get(e.getKey());
      if ("object".equals(s.path("type").asText())) {
        List<String> req = new java.util.ArrayList<>();
        s.path("required").forEach(r -> req.add(r.asText()));
        addTraits(nodes, s, name, v, req, group);
        continue;
      }
      String type = switch (s.path("type").asText("string")) {
        case "number", "integer" -> "number";
        case "boolean" -> "checkbox";
        default -> "email".equals(s.path("format").asText()) ? "email" : "text";
      };
      String auto = "email".equals(type) && s.has("ory.sh/kratos") ? "email" : null;
      nodes.add(input(group, name, type, v, required.contains(e.getKey()), auto, 1070002,
          s.path("title").asText(e.getKey())));
    }
  }

  /** The login form: csrf_token, identifier, password, submit. */
  public static ArrayNode login(String identifier, String csrf) {
    ArrayNode nodes = F.arrayNode();
    nodes.add(input("default", "csrf_token", "hidden", F.textNode(csrf), true, null, 0, null));
    nodes.add(input("default", "identifier", "text", identifier == null ? null : F.textNode(identifier), true,
        "username", 1070004, "ID"));
    nodes.add(input("password", "password", "password", null, true, "current-password", 1070001, "Password"));
    nodes.add(input("password", "method", "submit", F.textNode("password"), false, null, 1010001, "Sign in"));
    return nodes;
  }

  /**
   * The second-factor login form (a flow with {@code requested_aal = aal2}): csrf_token, then for each factor the
   * identity has, Kratos' nodes: {@code totp_code} and a {@code method=totp} button; {@code lookup_secret} and a
   * {@code method=lookup_secret} button.
   */
  public static ArrayNode secondFactor(List<String> factors, String csrf) {
    ArrayNode nodes = F.arrayNode();
    nodes.add(input("default", "csrf_token", "hidden", F.textNode(csrf), true, null, 0, null));
    if (factors.contains("totp")) {
      nodes.add(input("totp", "totp_code", "text", null, true, "one-time-code", 1010006, "Authentication code"));
      nodes.add(input("totp", "method", "submit", F.textNode("totp"), false, null, 1010009, "Use Authenticator"));
    }
    if (factors.contains("lookup_secret")) {
      nodes.add(input("lookup_secret", "lookup_secret", "text", null, true, "off", 1010007,
          "Backup recovery code"));
      nodes.add(input("lookup_secret", "method", "submit", F.textNode("lookup_secret"), false, null, 1010010,
          "Use backup recovery code"));
    }
    return nodes;
  }

  /** Adds messages to {@code ui.messages}. */
  public static void addMessages(ObjectNode ui, List<UiMessage> messages, com.fasterxml.jackson.databind.ObjectMapper m) {
    ArrayNode arr = ui.withArray("messages");
    messages.forEach(msg -> arr.add(m.valueToTree(msg)));
  }

  /**
   * Adds messages to the nodes they name ({@code traits.email}); messages for a name no node has go to
   * {@code ui.messages}.
   */
  public static void addFieldMessages(ObjectNode ui, java.util.Map<String, List<UiMessage>> byNode,
      com.fasterxml.jackson.databind.ObjectMapper m) {
    byNode.forEach((name, messages) -> {
      ArrayNode target = null;
      for (com.fasterxml.jackson.databind.JsonNode n : ui.path("nodes")) {
        if (n.path("attributes").path("name").asText().equals(name) && n instanceof ObjectNode o) {
          target = o.withArray("messages");
          break;
        }
      }
      ArrayNode to = target != null ? target : ui.withArray("messages");
      messages.forEach(msg -> to.add(m.valueToTree(msg)));
    });
  }

  /**
   * The verification form, as Kratos' {@code code} and {@code link} strategies: to choose, the {@code email} field and
   * the {@code method} button; once a code was sent, the {@code code} field, the {@code method} button, and the
   * {@code email} button that sends a new code; once verified, a {@code Continue} link to {@code continueUrl}.
   *
   * @param state {@code choose_method}, {@code sent_email} or {@code passed_challenge}
   */
  public static ArrayNode verification(String method, String state, String email, String csrf, String continueUrl) {
    ArrayNode nodes = F.arrayNode();
    nodes.add(input("default", "csrf_token", "hidden", F.textNode(csrf), true, null, 0, null));
    if (state.equals("passed_challenge")) {
      ObjectNode a = F.objectNode();
      a.put("type", "a");
      a.put("group", method);
      ObjectNode attrs = a.putObject("attributes");
      attrs.put("href", continueUrl);
      ObjectNode title = attrs.putObject("title");
      title.put("id", 1070009);
      title.put("text", "Continue");
      title.put("type", "info");
      attrs.put("id", "continue");
      attrs.put("node_type", "a");
      a.putArray("messages");
      a.set("meta", F.objectNode().set("label", title.deepCopy()));
      nodes.add(a);
      return nodes;
    }
    if (method.equals("code") && state.equals("sent_email")) {
      nodes.add(input("code", "code", "text", null, true, "one-time-code", 1070011, "Verification code"));
      nodes.add(input("code", "method", "submit", F.textNode("code"), false, null, 1070005, "Submit"));
      nodes.add(input("code", "email", "submit", F.textNode(email), false, null, 1070008, "Resend code"));
      return nodes;
    }
    nodes.add(input(method, "email", "email", email.isEmpty() ? null : F.textNode(email), true, "email", 1070007,
        "Email"));
    nodes.add(input(method, "method", "submit", F.textNode(method), false, null, 1070005, "Submit"));
    return nodes;
  }

  /**
   * The settings form, as Kratos' {@code profile} and {@code password} strategies: csrf_token, the traits with their
   * values and a {@code method=profile} save button (group {@code profile}); a new {@code password} and a
   * {@code method=password} save button (group {@code password}).
   */
  public static ArrayNode settings(IdentitySchemas schemas, String schemaId, JsonNode traits, String csrf,
      SecondFactors factors) {
    ArrayNode nodes = csrfAndTraits(schemas, schemaId, traits, csrf, "profile");
    nodes.add(input("profile", "method", "submit", F.textNode("profile"), false, null, 1070003, "Save"));
    nodes.add(input("password", "password", "password", null, true, "new-password", 1070001, "Password"));
    nodes.add(input("password", "method", "submit", F.textNode("password"), false, null, 1070003, "Save"));
    if (factors.totpLinked()) {
      nodes.add(input("totp", "totp_unlink", "submit", F.booleanNode(true), false, null, 1050004,
          "Unlink TOTP Authenticator App"));
    } else if (factors.pendingTotpSecret() != null) {
      if (factors.pendingTotpUrl() != null) {
        nodes.add(totpQr(factors.pendingTotpUrl()));
      }
      ObjectNode secret = text("totp", "totp_secret_key", 1050006, factors.pendingTotpSecret(), F.objectNode().put(
          "secret", factors.pendingTotpSecret()));
      ((ObjectNode) secret.path("meta")).putObject("label").put("id", 1050017).put("text", "This is your "
          + "authenticator app secret. Use it if you can not scan the QR code.").put("type", "info");
      nodes.add(secret);
      nodes.add(input("totp", "totp_code", "text", null, true, "one-time-code", 1070006, "Verify code"));
      nodes.add(input("totp", "method", "submit", F.textNode("totp"), false, null, 1070003, "Save"));
    }
    if (!factors.freshLookupCodes().isEmpty()) {
      ArrayNode list = F.arrayNode();
      factors.freshLookupCodes().forEach(c -> list.add(F.objectNode().put("id", 1050009).put("text", c)
          .put("type", "info")));
      ObjectNode codes = text("lookup_secret", "lookup_secret_codes", 1050015, String.join(", ",
          factors.freshLookupCodes()), F.objectNode().set("secrets", list));
      nodes.add(codes);
      nodes.add(input("lookup_secret", "lookup_secret_confirm", "submit", F.booleanNode(true), false, null, 1050011,
          "Confirm backup recovery codes"));
    }
    nodes.add(input("lookup_secret", "lookup_secret_regenerate", "submit", F.booleanNode(true), false, null, 1050008,
        "Generate new backup recovery codes"));
    if (factors.hasLookupSecrets()) {
      nodes.add(input("lookup_secret", "lookup_secret_disable", "submit", F.booleanNode(true), false, null, 1050016,
          "Disable this method"));
    }
    return nodes;
  }

  /**
   * The second factors a settings form shows: a linked TOTP device (unlink) or a secret to enrol; whether lookup
   * secrets exist (disable); codes generated just now (shown once).
   */
  public record SecondFactors(boolean totpLinked, @org.jspecify.annotations.Nullable String pendingTotpSecret,
      boolean hasLookupSecrets,
      List<String> freshLookupCodes, @org.jspecify.annotations.Nullable String pendingTotpUrl) {
    public SecondFactors {
      freshLookupCodes = List.copyOf(freshLookupCodes);
    }
  }

  /**
   * Kratos' {@code totp_qr} node: an {@code img} of the key URI's QR code ({@code data:image/png;base64,...},
   * 256 x 256), label 1050005.
   */
  static ObjectNode totpQr(String url) {
    ObjectNode node = F.objectNode();
    node.put("type", "img");
    node.put("group", "totp");
    ObjectNode a = node.putObject("attributes");
    a.put("src", TotpQr.dataUri(url));
    a.put("id", "totp_qr");
    a.put("width", TotpQr.SIZE);
    a.put("height", TotpQr.SIZE);
    a.put("node_type", "img");
    node.putArray("messages");
    node.putObject("meta").putObject("label").put("id", 1050005).put("text", "Authenticator app QR code")
        .put("type", "info");
    return node;
  }

  private static ObjectNode text(String group, String id, long textId, String value, ObjectNode context) {
    ObjectNode node = F.objectNode();
    node.put("type", "text");
    node.put("group", group);
    ObjectNode attrs = node.putObject("attributes");
    attrs.putObject("text").put("id", textId).put("text", value).put("type", "info").set("context", context);
    attrs.put("id", id);
    attrs.put("node_type", "text");
    node.putArray("messages");
    node.putObject("meta");
    return node;
  }

  // ---- webauthn and passkey nodes, as Kratos' webauthn and passkey strategies render them ----

  /** The id of the script node (one per form, whichever method added it first). */
  public static final String WEBAUTHN_SCRIPT = "webauthn_script";

  /** Kratos' script node loading the WebAuthn helper the buttons' {@code onclick} call. */
  private static void addScript(ArrayNode nodes, String src, String integrity) {
    for (JsonNode n : nodes) {
      if (WEBAUTHN_SCRIPT.equals(n.path("attributes").path("id").asText())) {
        return;
      }
    }
    ObjectNode node = F.objectNode();
    node.put("type", "script");
    node.put("group", "webauthn");
    ObjectNode a = node.putObject("attributes");
    a.put("src", src);
    a.put("async", true);
    a.put("referrerpolicy", "no-referrer");
    a.put("crossorigin", "anonymous");
    a.put("integrity", integrity);
    a.put("type", "text/javascript");
    a.put("id", WEBAUTHN_SCRIPT);
    a.put("nonce", "");
    a.put("node_type", "script");
    node.putArray("messages");
    node.putObject("meta");
    nodes.add(node);
  }

  private static ObjectNode button(String group, String name, String onclick, String trigger, long labelId,
      String label) {
    ObjectNode b = input(group, name, "button", F.textNode(""), false, null, labelId, label);
    ((ObjectNode) b.path("attributes")).put("onclick", onclick).put("onclickTrigger", trigger);
    return b;
  }

  private static ObjectNode hidden(String group, String name, String value) {
    ObjectNode n = input(group, name, "hidden", F.textNode(value), false, null, 0, null);
    return n;
  }

  /** One "remove" button per key: its hex id as value, Kratos' label with the name and when it was added. */
  private static void addRemoveButtons(ArrayNode nodes, String group, List<KeyView> keys, long labelId,
      String what) {
    for (KeyView k : keys) {
      String name = k.displayName().isEmpty() ? "unnamed" : k.displayName();
      ObjectNode n = input(group, group + "_remove", "submit", F.textNode(k.hexId()), false, null, labelId,
          "Remove " + what + " \"" + name + "\"");
      ((ObjectNode) n.path("attributes")).put("disabled", !k.removable());
      java.time.Instant added = k.addedAt() == null ? java.time.Instant.parse("0001-01-01T00:00:00Z") : k.addedAt();
      ((ObjectNode) n.path("meta").path("label")).putObject("context").put("display_name", name)
          .put("added_at", added.toString()).put("added_at_unix", added.getEpochSecond());
      nodes.add(n);
    }
  }

  /** A key as a settings form lists it. */
  public record KeyView(String hexId, String displayName,
      java.time.@org.jspecify.annotations.Nullable Instant addedAt, boolean removable) {}

  /**
   * Kratos' webauthn settings nodes: a {@code webauthn_remove} button per key, {@code webauthn_register_displayname},
   * the {@code webauthn_register_trigger} button that calls {@code window.__oryWebAuthnRegistration(options)}, the
   * hidden {@code webauthn_register} the script fills, and the script node.
   */
  public static void addWebAuthnSettings(ArrayNode nodes, List<KeyView> keys, String options, String scriptSrc,
      String integrity) {
    addRemoveButtons(nodes, "webauthn", keys, 1050018, "security key");
    nodes.add(input("webauthn", "webauthn_register_displayname", "text", F.textNode(""), false, null, 1050013,
        "Name of the security key"));
    nodes.add(button("webauthn", "webauthn_register_trigger", "window.__oryWebAuthnRegistration(" + options + ")",
        "oryWebAuthnRegistration", 1050012, "Add security key"));
    nodes.add(hidden("webauthn", "webauthn_register", ""));
    addScript(nodes, scriptSrc, integrity);
  }

  /**
   * Kratos' passkey settings nodes: a {@code passkey_remove} button per passkey, {@code passkey_create_data} (the
   * creation options), the {@code passkey_register_trigger} button, the hidden {@code passkey_register} and the script.
   */
  public static void addPasskeySettings(ArrayNode nodes, List<KeyView> keys, String createData, String scriptSrc,
      String integrity) {
    addRemoveButtons(nodes, "passkey", keys, 1050020, "passkey");
    nodes.add(hidden("passkey", "passkey_create_data", createData));
    nodes.add(button("passkey", "passkey_register_trigger", "window.__oryPasskeySettingsRegistration()",
        "oryPasskeySettingsRegistration", 1050019, "Add passkey"));
    nodes.add(hidden("passkey", "passkey_register", ""));
    addScript(nodes, scriptSrc, integrity);
  }

  /**
   * Kratos' webauthn login nodes (a second factor, or the second step of a passwordless login): the
   * {@code webauthn_login_trigger} button that calls {@code window.__oryWebAuthnLogin(options)}, the hidden
   * {@code webauthn_login} the script fills, and the script.
   */
  public static void addWebAuthnLogin(ArrayNode nodes, String options, String scriptSrc, String integrity) {
    ObjectNode trigger = button("webauthn", "webauthn_login_trigger", "window.__oryWebAuthnLogin(" + options + ")",
        "oryWebAuthnLogin", 1010008, "Use security key");
    addAnswerNodes(nodes, trigger, hidden("webauthn", "webauthn_login", ""), scriptSrc, integrity);
  }

  /** A trigger button and the hidden field the script fills, in Kratos' order (the button first for webauthn). */
  private static void addAnswerNodes(ArrayNode nodes, ObjectNode first, ObjectNode second, String scriptSrc,
      String integrity) {
    nodes.add(first);
    nodes.add(second);
    addScript(nodes, scriptSrc, integrity);
  }

  /** The first step of a passwordless webauthn login: a {@code method=webauthn} button next to the identifier. */
  public static void addWebAuthnPasswordlessStart(ArrayNode nodes) {
    nodes.add(input("webauthn", "method", "submit", F.textNode("webauthn"), false, null, 1010012,
        "Sign in with security key"));
  }

  /**
   * Kratos' passkey login nodes: the hidden {@code passkey_challenge} (the request options), the hidden
   * {@code passkey_login} the script fills, the {@code passkey_login_trigger} button, and the script.
   */
  public static void addPasskeyLogin(ArrayNode nodes, String options, String scriptSrc, String integrity) {
    nodes.add(hidden("passkey", "passkey_challenge", options));
    addAnswerNodes(nodes, hidden("passkey", "passkey_login", ""), button("passkey", "passkey_login_trigger",
        "window.__oryPasskeyLogin()", "oryPasskeyLogin", 1010021, "Sign in with passkey"), scriptSrc, integrity);
  }

  /** The first step of a passkey registration: a {@code method=passkey} button under the traits. */
  public static void addPasskeyRegistrationStart(ArrayNode nodes) {
    nodes.add(input("passkey", "method", "submit", F.textNode("passkey"), false, null, 1040007,
        "Sign up with passkey"));
  }

  /**
   * The second step of a passkey registration: the hidden {@code passkey_create_data} (the creation options) and the
   * hidden {@code passkey_register} whose {@code onload} starts the ceremony, and the script.
   */
  public static void addPasskeyRegistration(ArrayNode nodes, String createData, String scriptSrc, String integrity) {
    nodes.add(hidden("passkey", "passkey_create_data", createData));
    ObjectNode reg = hidden("passkey", "passkey_register", "");
    ((ObjectNode) reg.path("attributes")).put("onload", "window.__oryPasskeyRegistration()")
        .put("onloadTrigger", "oryPasskeyRegistration");
    nodes.add(reg);
    addScript(nodes, scriptSrc, integrity);
  }

  /** The nodes without those of the webauthn and passkey groups (before fresh ones with a new challenge). */
  public static ArrayNode withoutWebAuthn(JsonNode nodes) {
    ArrayNode out = F.arrayNode();
    for (JsonNode n : nodes) {
      String g = n.path("group").asText();
      if (!g.equals("webauthn") && !g.equals("passkey")) {
        out.add(n.deepCopy());
      }
    }
    return out;
  }
}
