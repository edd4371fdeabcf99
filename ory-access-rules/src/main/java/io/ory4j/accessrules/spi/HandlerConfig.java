package io.ory4j.accessrules.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.config.GoDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A handler's merged config (the global {@code config} overridden key by key by the rule's), with typed getters that
 * refuse a bad value naming the field, and the services a handler may call.
 */
public final class HandlerConfig {

  private final ObjectNode node;
  private final HandlerServices services;
  private final String prefix;

  public HandlerConfig(ObjectNode node, HandlerServices services) {
    this(node, services, "");
  }

  private HandlerConfig(ObjectNode node, HandlerServices services, String prefix) {
    this.node = node.deepCopy();
    this.services = Objects.requireNonNull(services, "services");
    this.prefix = prefix;
  }

  /** A refusal naming this field with its full path. */
  public InvalidConfigException invalid(String field, String reason) {
    return new InvalidConfigException(prefix + field, reason);
  }

  /** The raw merged config. */
  public ObjectNode node() {
    return node.deepCopy();
  }

  /** The clock, HTTP client, keys and in-process shortcuts. */
  public HandlerServices services() {
    return services;
  }

  public boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public @Nullable JsonNode get(String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public String string(String field) {
    String v = string(field, null);
    if (v == null || v.isEmpty()) {
      throw invalid(field, "is required");
    }
    return v;
  }

  public @Nullable String string(String field, @Nullable String fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isTextual()) {
      throw invalid(field, "must be a string");
    }
    return v.asText();
  }

  public boolean bool(String field, boolean fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw invalid(field, "must be true or false");
    }
    return v.booleanValue();
  }

  public int integer(String field, int fallback) {
    JsonNode v = get(field);
    if (v == null) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid(field, "must be an integer");
    }
    return v.intValue();
  }

  /** A Go duration such as {@code 500ms} or {@code 1h30m}. */
  public Duration duration(String field, Duration fallback) {
    String v = string(field, null);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      return GoDuration.parse(v);
    } catch (RuntimeException e) {
      throw invalid(field, "is not a duration such as 500ms or 1h30m: " + v);
    }
  }

  public List<String> strings(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw invalid(field, "must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw invalid(field, "must be an array of strings");
      }
      out.add(s.asText());
    }
    return List.copyOf(out);
  }

  public Map<String, String> stringMap(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return Map.of();
    }
    if (!v.isObject()) {
      throw invalid(field, "must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw invalid(field + "." + e.getKey(), "must be a string");
      }
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** A nested object, as its own config (an empty one when absent). */
  public HandlerConfig object(String field) {
    JsonNode v = get(field);
    if (v == null) {
      return new HandlerConfig(node.objectNode(), services, prefix + field + ".");
    }
    if (!v.isObject()) {
      throw invalid(field, "must be an object");
    }
    return new HandlerConfig((ObjectNode) v, services, prefix + field + ".");
  }

  /** An absolute http or https URL. */
  public URI url(String field) {
    String v = string(field);
    try {
      URI u = new URI(v);
      if (!u.isAbsolute() || u.getHost() == null
          || !("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme()))) {
        throw invalid(field, "must be an absolute http or https URL: " + v);
      }
      return u;
    } catch (URISyntaxException e) {
      throw invalid(field, "is not a valid URL: " + e.getReason());
    }
  }

  /** A config value a handler refuses. */
  public static final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;
    private final String reason;

    public InvalidConfigException(String field, String reason) {
      super(field + ": " + reason, null, false, false);
      this.field = field;
      this.reason = reason;
    }

    public String field() {
      return field;
    }

    public String reason() {
      return reason;
    }
  }
}
