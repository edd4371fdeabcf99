package io.ory4j.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads configuration as Ory's servers do: each key from the environment (the key path upper-cased, dots to
 * underscores), else from a config file in Ory's YAML (or JSON) layout, else the key's default. Values set in code
 * with {@link Builder#set} win over all three.
 *
 * <p>An {@code OryConfig} is immutable; it is built once at start. A missing required key or a bad value fails with
 * a {@link ConfigException} naming the key, its environment variable and the reason.
 */
public final class OryConfig {

  private final Map<String, Object> overrides;
  private final Map<String, String> env;
  private final Map<String, Object> file;
  private final @Nullable Path filePath;

  private OryConfig(Builder b) {
    this.overrides = Map.copyOf(b.overrides);
    this.env = Map.copyOf(b.env);
    this.file = Map.copyOf(b.file);
    this.filePath = b.filePath;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A config from the process environment and, when {@code ORY4J_CONFIG} or {@code CONFIG} names one, a file. */
  public static OryConfig fromEnvironment() {
    Builder b = builder().environment(System.getenv());
    String path = Optional.ofNullable(System.getenv("ORY4J_CONFIG")).orElse(System.getenv("CONFIG"));
    if (path != null && !path.isBlank()) {
      b.file(Path.of(path));
    }
    return b.build();
  }

  /**
   * The value of {@code key}.
   *
   * @throws ConfigException when the value is invalid, or missing for a key without a default
   */
  public <T> T get(ConfigKey<T> key) {
    return find(key).orElseThrow(() -> new ConfigException(key.path(), "is required but not set"));
  }

  /** The value of {@code key}, or empty when it is unset and has no default. */
  public <T> Optional<T> find(ConfigKey<T> key) {
    Object raw = raw(key.path());
    if (raw == null) {
      return Optional.ofNullable(key.defaultValue());
    }
    try {
      return Optional.of(key.parser().apply(raw));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.path(), e.getMessage() + sourceOf(key.path()));
    }
  }

  /** True when the environment, the file or code sets {@code path}. */
  public boolean isSet(String path) {
    return raw(path) != null;
  }

  /** Where the value of {@code path} comes from: {@code code}, {@code env}, {@code file} or {@code default}. */
  public String source(String path) {
    if (overrides.containsKey(path)) {
      return "code";
    }
    if (env.containsKey(ConfigKey.envName(path))) {
      return "env";
    }
    return file.containsKey(path) ? "file" : "default";
  }

  /** Checks every key at once, so start-up fails on the first bad value rather than at first use. */
  public void validate(ConfigKey<?>... keys) {
    for (ConfigKey<?> k : keys) {
      find(k);
    }
  }

  /**
   * The raw values of all environment variables starting with {@code prefix} (for families of keys such as
   * {@code AUTHENTICATORS_<NAME>_CONFIG_...}), by variable name.
   */
  public Map<String, String> environmentWithPrefix(String prefix) {
    Map<String, String> out = new LinkedHashMap<>();
    env.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** The file's values under {@code prefix} (dotted paths), for families of keys. */
  public Map<String, Object> fileWithPrefix(String prefix) {
    Map<String, Object> out = new LinkedHashMap<>();
    file.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private @Nullable Object raw(String path) {
    if (overrides.containsKey(path)) {
      return overrides.get(path);
    }
    String e = env.get(ConfigKey.envName(path));
    if (e != null) {
      return e;
    }
    return file.get(path);
  }

  private String sourceOf(String path) {
    return switch (source(path)) {
      case "env" -> " (from the environment)";
      case "file" -> " (from " + filePath + ")";
      case "code" -> " (set in code)";
      default -> "";
    };
  }

  /** Builds an {@link OryConfig}. */
  public static final class Builder {
    private final Map<String, Object> overrides = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, Object> file = new HashMap<>();
    private @Nullable Path filePath;

    private Builder() {}

    /** Environment variables (usually {@code System.getenv()}). */
    public Builder environment(Map<String, String> variables) {
      env.clear();
      env.putAll(Objects.requireNonNull(variables, "variables"));
      return this;
    }

    /** A config file in YAML or JSON, in Ory's layout. */
    public Builder file(Path path) {
      Objects.requireNonNull(path, "path");
      try {
        ObjectMapper mapper = path.toString().endsWith(".json") ? JsonMapper.builder().build()
            : new ObjectMapper(new YAMLFactory());
        JsonNode root = mapper.readTree(Files.readAllBytes(path));
        file.clear();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
          if (!root.isObject()) {
            throw new ConfigException("(file)", path + " must hold a mapping of keys at its top level");
          }
          flatten("", root, file, mapper);
        }
        filePath = path;
        return this;
      } catch (IOException e) {
        throw new ConfigException("(file)", "cannot read config file " + path + ": " + e.getMessage());
      }
    }

    /** A value set in code; wins over environment and file. */
    public Builder set(String path, Object value) {
      overrides.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(value, "value"));
      return this;
    }

    public OryConfig build() {
      return new OryConfig(this);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> out, ObjectMapper mapper) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        JsonNode v = e.getValue();
        if (v.isObject()) {
          out.put(path, mapper.convertValue(v, Map.class));
          flatten(path, v, out, mapper);
        } else if (v.isArray()) {
          List<Object> list = new ArrayList<>();
          v.forEach(x -> list.add(x.isValueNode() ? x.asText() : mapper.convertValue(x, Object.class)));
          out.put(path, list);
        } else if (!v.isNull()) {
          out.put(path, v.asText());
        }
      }
    }
  }
}
