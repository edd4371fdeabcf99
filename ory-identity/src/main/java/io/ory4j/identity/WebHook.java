package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.identity.internal.JsonnetSubset;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Kratos' {@code web_hook} hook: an HTTP request to {@code url} whose JSON body a Jsonnet template makes from the
 * flow context.
 *
 * @param url {@code config.url}
 * @param method {@code config.method} (POST unless set)
 * @param body the Jsonnet source of {@code config.body} (read from its {@code file://} or {@code base64://} URI),
 *     one {@code function(ctx) ...} in ory4j's Jsonnet subset (see docs/identity.md); parsed here, so a template
 *     outside the subset is refused when the configuration is read
 * @param headers {@code config.headers}: extra request headers
 * @param auth {@code config.auth}: an API key in a header or cookie, or basic auth; null for none
 * @param canInterrupt {@code config.can_interrupt}: a 4xx answer with Kratos' {@code messages} body stops the flow
 *     and shows the messages
 * @param responseIgnore {@code config.response.ignore}: send asynchronously and ignore the answer
 * @param responseParse {@code config.response.parse}: a 200 answer's {@code identity} replaces traits, metadata and
 *     state before the identity is stored (registration)
 * @param timeout how long to wait for the answer (Kratos' HTTP client waits 30 s; beyond Kratos, set from Java)
 */
public record WebHook(URI url, String method, String body, Map<String, String> headers, @Nullable Auth auth,
    boolean canInterrupt, boolean responseIgnore, boolean responseParse, Duration timeout) {

  /** Kratos' HTTP client timeout, the default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public WebHook {
    Objects.requireNonNull(url, "url");
    if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new IllegalArgumentException("web_hook url must be an http or https URL: " + url);
    }
    method = method == null || method.isEmpty() ? "POST" : method.toUpperCase(Locale.ROOT);
    if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
      throw new IllegalArgumentException("web_hook method must be GET, POST, PUT, PATCH or DELETE, not " + method);
    }
    Objects.requireNonNull(body, "body");
    try {
      JsonnetSubset.parse(body);
    } catch (JsonnetSubset.SyntaxError e) {
      throw new IllegalArgumentException("web_hook body template: " + e.getMessage(), e);
    }
    headers = Map.copyOf(headers);
    if (responseIgnore && (responseParse || canInterrupt)) {
      throw new IllegalArgumentException("web_hook response.ignore cannot be combined with response.parse or "
          + "can_interrupt: an ignored answer can neither change the identity nor interrupt the flow");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("web_hook timeout must be positive");
    }
  }

  /** A POST hook with a body template and nothing else configured. */
  public static WebHook post(URI url, String body) {
    return new WebHook(url, "POST", body, Map.of(), null, false, false, false, DEFAULT_TIMEOUT);
  }

  /** True when Kratos runs this hook before the identity is stored (it can interrupt or change the identity). */
  public boolean prePersist() {
    return canInterrupt || responseParse;
  }

  public WebHook withAuth(@Nullable Auth a) {
    return new WebHook(url, method, body, headers, a, canInterrupt, responseIgnore, responseParse, timeout);
  }

  public WebHook withMethod(String m) {
    return new WebHook(url, m, body, headers, auth, canInterrupt, responseIgnore, responseParse, timeout);
  }

  public WebHook withCanInterrupt(boolean b) {
    return new WebHook(url, method, body, headers, auth, b, responseIgnore, responseParse, timeout);
  }

  public WebHook withResponse(boolean ignore, boolean parse) {
    return new WebHook(url, method, body, headers, auth, canInterrupt, ignore, parse, timeout);
  }

  public WebHook withTimeout(Duration t) {
    return new WebHook(url, method, body, headers, auth, canInterrupt, responseIgnore, responseParse, t);
  }

  public WebHook withHeaders(Map<String, String> h) {
    return new WebHook(url, method, body, h, auth, canInterrupt, responseIgnore, responseParse, timeout);
  }

  /** {@code config.auth}. */
  public sealed interface Auth permits ApiKey, BasicAuth {}

  /**
   * {@code {"type": "api_key", "config": {"name": ..., "value": ..., "in": "header" | "cookie"}}}.
   *
   * @param in {@code header} or {@code cookie}
   */
  public record ApiKey(String name, String value, String in) implements Auth {
    public ApiKey {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      in = in == null || in.isEmpty() ? "header" : in;
      if (!in.equals("header") && !in.equals("cookie")) {
        throw new IllegalArgumentException("web_hook auth api_key \"in\" must be header or cookie, not " + in);
      }
    }

    @Override
    public String toString() {
      return "ApiKey[name=" + name + ", in=" + in + ", value=<redacted>]";
    }
  }

  /** {@code {"type": "basic_auth", "config": {"user": ..., "password": ...}}}. */
  public record BasicAuth(String user, String password) implements Auth {
    public BasicAuth {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
      return "BasicAuth[user=" + user + ", password=<redacted>]";
    }
  }

  @Override
  public String toString() {
    return "WebHook[" + method + " " + url + ", can_interrupt=" + canInterrupt + ", response.ignore=" + responseIgnore
        + ", response.parse=" + responseParse + ", auth=" + auth + "]";
  }

  private static final Set<String> CONFIG_KEYS = Set.of("url", "method", "body", "headers", "auth", "can_interrupt",
      "response", "emit_analytics_event", "id");

  /**
   * Reads Kratos' {@code config} object of a {@code web_hook}. {@code body} is a {@code file://} URI, a
   * {@code base64://} URI, or (Kratos' legacy form) a file path; {@code emit_analytics_event} and {@code id} are
   * accepted and have no effect.
   *
   * @throws IllegalArgumentException naming the field and the reason
   */
  public static WebHook fromKratosConfig(JsonNode config) {
    if (!config.isObject()) {
      throw new IllegalArgumentException("web_hook config must be an object");
    }
    for (Iterator<String> it = config.fieldNames(); it.hasNext();) {
      String k = it.next();
      if (!CONFIG_KEYS.contains(k)) {
        throw new IllegalArgumentException("web_hook config has an unknown field \"" + k + "\"");
      }
    }
    String url = config.path("url").asText("");
    if (url.isEmpty()) {
      throw new IllegalArgumentException("web_hook config.url is required");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("web_hook config.url is not a URL: " + url, e);
    }
    if (!config.path("body").isTextual()) {
      throw new IllegalArgumentException("web_hook config.body is required (a file:// or base64:// URI of a "
          + "Jsonnet template): Kratos sends a body with every method");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    config.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    JsonNode response = config.path("response");
    return new WebHook(uri, config.path("method").asText("POST"), readTemplate(config.path("body").asText()),
        headers, auth(config.path("auth")), config.path("can_interrupt").asBoolean(false),
        response.path("ignore").asBoolean(false), response.path("parse").asBoolean(false), DEFAULT_TIMEOUT);
  }

  private static @Nullable Auth auth(JsonNode a) {
    if (a.isMissingNode() || a.isNull()) {
      return null;
    }
    JsonNode c = a.path("config");
    return switch (a.path("type").asText("")) {
      case "api_key" -> new ApiKey(required(c, "name", "api_key"), required(c, "value", "api_key"),
          c.path("in").asText("header"));
      case "basic_auth" -> new BasicAuth(required(c, "user", "basic_auth"), required(c, "password", "basic_auth"));
      default -> throw new IllegalArgumentException("web_hook config.auth.type must be api_key or basic_auth, not \""
          + a.path("type").asText("") + "\"");
    };
  }

  private static String required(JsonNode c, String field, String type) {
    if (!c.path(field).isTextual()) {
      throw new IllegalArgumentException("web_hook config.auth.config." + field + " is required for " + type);
    }
    return c.path(field).asText();
  }

  /** Reads a template URI: {@code base64://...}, {@code file://...}, or a plain file path. */
  static String readTemplate(String uri) {
    if (uri.startsWith("base64://")) {
      try {
        return new String(Base64.getDecoder().decode(uri.substring(9).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("web_hook config.body is not valid base64: " + e.getMessage(), e);
      }
    }
    if (uri.startsWith("http://") || uri.startsWith("https://")) {
      throw new IllegalArgumentException("web_hook config.body: ory4j does not fetch templates over HTTP; use a "
          + "file:// or base64:// URI");
    }
    Path p;
    try {
      p = uri.startsWith("file://") ? Path.of(URI.create(uri)) : Path.of(uri);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("web_hook config.body is not a file:// URI: " + uri, e);
    }
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("web_hook config.body: cannot read " + p + ": " + e.getMessage(), e);
    }
  }
}
