package io.ory4j.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A typed configuration key: its path in Ory's config layout (such as {@code serve.public.port}), how a raw value is
 * parsed, and its default. The environment variable is the path upper-cased with dots as underscores
 * ({@code SERVE_PUBLIC_PORT}), as Ory's servers read it.
 *
 * @param path the dotted key path
 * @param parser turns a raw value (a string from the environment, or a value from the file) into {@code T}; throws
 *     {@link IllegalArgumentException} with the reason when the value is invalid
 * @param defaultValue the value when neither the environment nor the file sets one; null for a required key
 */
public record ConfigKey<T>(String path, Function<Object, T> parser, @Nullable T defaultValue) {

  public ConfigKey {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(parser, "parser");
  }

  /** The environment variable name for a key path. */
  public static String envName(String path) {
    return path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** This key's environment variable. */
  public String envName() {
    return envName(path);
  }

  public static ConfigKey<String> string(String path, @Nullable String defaultValue) {
    return new ConfigKey<>(path, v -> {
      String s = scalar(v);
      if (s.isEmpty()) {
        throw new IllegalArgumentException("must not be empty");
      }
      return s;
    }, defaultValue);
  }

  public static ConfigKey<Integer> integer(String path, @Nullable Integer defaultValue, int min, int max) {
    return new ConfigKey<>(path, v -> {
      int i;
      try {
        i = Integer.parseInt(scalar(v));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("\"" + v + "\" is not a whole number");
      }
      if (i < min || i > max) {
        throw new IllegalArgumentException(i + " is outside " + min + ".." + max);
      }
      return i;
    }, defaultValue);
  }

  public static ConfigKey<Integer> port(String path, @Nullable Integer defaultValue) {
    return integer(path, defaultValue, 0, 65535);
  }

  public static ConfigKey<Boolean> bool(String path, @Nullable Boolean defaultValue) {
    return new ConfigKey<>(path, v -> {
      String s = scalar(v).toLowerCase(Locale.ROOT);
      return switch (s) {
        case "true", "1", "yes", "on" -> true;
        case "false", "0", "no", "off" -> false;
        default -> throw new IllegalArgumentException("\"" + v + "\" is not true or false");
      };
    }, defaultValue);
  }

  public static ConfigKey<Duration> duration(String path, @Nullable Duration defaultValue) {
    return new ConfigKey<>(path, v -> GoDuration.parse(scalar(v)), defaultValue);
  }

  public static ConfigKey<URI> uri(String path, @Nullable URI defaultValue) {
    return new ConfigKey<>(path, v -> {
      try {
        URI u = new URI(scalar(v));
        if (!u.isAbsolute()) {
          throw new IllegalArgumentException("\"" + v + "\" is not an absolute URL");
        }
        return u;
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("\"" + v + "\" is not a URL: " + e.getReason());
      }
    }, defaultValue);
  }

  /**
   * A list of strings: a list in the file; in the environment a JSON array ({@code ["a","b"]}) or comma-separated
   * values, as Ory's servers accept.
   */
  public static ConfigKey<List<String>> stringList(String path, @Nullable List<String> defaultValue) {
    return new ConfigKey<>(path, ConfigKey::toList, defaultValue);
  }

  /** A JSON value: a structure in the file, or a JSON document in the environment. */
  public static ConfigKey<JsonNode> json(String path, @Nullable JsonNode defaultValue) {
    JsonMapper mapper = JsonMapper.builder().build();
    return new ConfigKey<>(path, v -> {
      if (v instanceof String s) {
        try {
          return mapper.readTree(s);
        } catch (java.io.IOException e) {
          throw new IllegalArgumentException("is not valid JSON: " + getOriginalMessageOrNull(e));
        }
      }
      return mapper.valueToTree(v);
    }, defaultValue);
  }

  private static List<String> toList(Object v) {
    if (v instanceof List<?> l) {
      List<String> out = new ArrayList<>();
      for (Object o : l) {
        out.add(String.valueOf(o));
      }
      return List.copyOf(out);
    }
    String s = scalar(v).trim();
    if (s.startsWith("[")) {
      try {
        JsonNode node = JsonMapper.builder().build().readTree(s);
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return List.copyOf(out);
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("is not a valid JSON array");
      }
    }
    if (s.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  private static String scalar(Object v) {
    if (v instanceof List<?> || v instanceof java.util.Map<?, ?>) {
      throw new IllegalArgumentException("expected a single value, got a structure");
    }
    return String.valueOf(v).trim();
  }

  private static String getOriginalMessageOrNull(java.io.IOException e) {
    return e.getMessage();
  }
}
