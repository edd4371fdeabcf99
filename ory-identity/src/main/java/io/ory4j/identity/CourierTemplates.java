package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The courier's email templates with Kratos' names ({@code courier.templates.<name>.<valid|invalid>.email}):
 * {@code verification_code}, {@code verification}, {@code recovery_code}, {@code recovery} (valid and invalid) and
 * {@code login_code} (valid), and Kratos' variables: {@code To}, {@code VerificationCode}, {@code VerificationURL},
 * {@code RecoveryCode}, {@code RecoveryURL}, {@code LoginCode}, {@code Identity} (the identity's JSON, so
 * {@code {{ .Identity.traits.email }}} works) and {@code RequestURL}.
 *
 * <p>A host overrides any template with {@link #override}. Templates use the part of Go's template syntax Kratos'
 * built-in templates use: {@code {{ .Name }}} and dotted paths {@code {{ .Identity.traits.name.first }}}; the HTML
 * body escapes what it inserts. Other actions ({@code if}, {@code range}, pipes) are refused when the override is
 * made.
 */
public final class CourierTemplates {

  /** Kratos' template names. */
  public static final List<String> NAMES = List.of("verification_code", "verification", "recovery_code", "recovery",
      "login_code");

  /** One email template: subject, plain-text body and HTML body. */
  public record Template(String subject, String plaintext, String html) {
    public Template {
      check(Objects.requireNonNull(subject, "subject"));
      check(Objects.requireNonNull(plaintext, "plaintext"));
      check(Objects.requireNonNull(html, "html"));
    }
  }

  /** A rendered email. */
  public record Rendered(String subject, String plaintext, String html) {}

  private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
  private static final Pattern FIELD = Pattern.compile("\\.[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private final Map<String, Template> templates;

  private CourierTemplates(Map<String, Template> templates) {
    this.templates = Map.copyOf(templates);
  }

  /** ory4j's built-in English templates. */
  public static CourierTemplates builtin() {
    Map<String, Template> t = new HashMap<>();
    t.put("verification_code_valid", both("Please verify your email address",
        "Hi, please verify your account by entering the following code:\n\n{{ .VerificationCode }}\n\n"
            + "or clicking the following link:\n\n{{ .VerificationURL }}\n"));
    t.put("verification_code_invalid", both("Someone tried to verify this email address",
        "Hi, someone asked to verify this email address, but we were unable to find an account for this address.\n\n"
            + "If this was you, check if you signed up using a different address.\n\n"
            + "If this was not you, please ignore this email.\n"));
    t.put("verification_valid", both("Please verify your email address",
        "Hi, please verify your account by clicking the following link:\n\n{{ .VerificationURL }}\n"));
    t.put("verification_invalid", t.get("verification_code_invalid"));
    t.put("recovery_code_valid", both("Recover access to your account",
        "Hi, please recover access to your account by entering the following code:\n\n{{ .RecoveryCode }}\n"));
    t.put("recovery_code_invalid", both("Account access attempted",
        "Hi, you (or someone else) entered this email address when trying to recover access to an account.\n\n"
            + "However, this email address is not on our database of registered users and therefore the attempt has "
            + "failed.\n\nIf this was not you, please ignore this email.\n"));
    t.put("recovery_valid", both("Recover access to your account",
        "Hi, please recover access to your account by clicking the following link:\n\n{{ .RecoveryURL }}\n"));
    t.put("recovery_invalid", t.get("recovery_code_invalid"));
    t.put("login_code_valid", both("Login to your account",
        "Hi, please login to your account by entering the following code:\n\n{{ .LoginCode }}\n"));
    return new CourierTemplates(t);
  }

  private static Template both(String subject, String text) {
    return new Template(subject, text, "<p>" + text.replace("\n\n", "</p><p>").replace("\n", "") + "</p>");
  }

  /**
   * The same templates with {@code name} ({@link #NAMES}) replaced for valid or invalid recipients.
   *
   * @throws IllegalArgumentException for an unknown name or a template outside the supported syntax
   */
  public CourierTemplates override(String name, boolean valid, Template template) {
    String key = name + (valid ? "_valid" : "_invalid");
    if (!templates.containsKey(key)) {
      throw new IllegalArgumentException("courier.templates." + name + "." + (valid ? "valid" : "invalid")
          + " is not a Kratos template (known: " + NAMES + "; login_code has only valid)");
    }
    Map<String, Template> t = new HashMap<>(templates);
    t.put(key, Objects.requireNonNull(template));
    return new CourierTemplates(t);
  }

  /** Renders Kratos' template type ({@code verification_code_valid}) with {@code variables}. */
  public Rendered render(String templateType, Map<String, ?> variables) {
    Template t = templates.get(templateType);
    if (t == null) {
      throw new IllegalArgumentException("unknown template type " + templateType);
    }
    return new Rendered(fill(t.subject(), variables, false).replace('\n', ' ').trim(),
        fill(t.plaintext(), variables, false), fill(t.html(), variables, true));
  }

  private static void check(String template) {
    Matcher m = ACTION.matcher(template);
    while (m.find()) {
      if (!FIELD.matcher(m.group(1)).matches()) {
        throw new IllegalArgumentException("template action {{ " + m.group(1) + " }} is not supported: only "
            + "{{ .Name }} and {{ .Identity.traits.x }} paths");
      }
    }
  }

  private static String fill(String template, Map<String, ?> vars, boolean html) {
    Matcher m = ACTION.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = lookup(vars, m.group(1).substring(1).split("\\."));
      m.appendReplacement(out, Matcher.quoteReplacement(html ? escape(v) : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A path's value as text; a missing one is empty, as Go templates print {@code <no value>} (Kratos' fallback). */
  private static String lookup(Map<String, ?> vars, String[] path) {
    Object v = vars.get(path[0]);
    for (int i = 1; i < path.length && v != null; i++) {
      if (v instanceof JsonNode n) {
        v = n.get(path[i]);
      } else if (v instanceof Map<?, ?> mm) {
        v = mm.get(path[i]);
      } else {
        v = null;
      }
    }
    if (v instanceof JsonNode n) {
      return n.isValueNode() ? n.asText() : n.toString();
    }
    return v == null ? "" : String.valueOf(v);
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&#34;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Whether a template type exists. */
  public boolean has(@Nullable String templateType) {
    return templateType != null && templates.containsKey(templateType);
  }
}
