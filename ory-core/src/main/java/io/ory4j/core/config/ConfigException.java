package io.ory4j.core.config;

/** A configuration value is missing or invalid. The message names the key (and its environment variable). */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public ConfigException(String key, String reason) {
    super("invalid configuration " + key + " (env " + ConfigKey.envName(key) + "): " + reason);
    this.key = key;
  }

  /** The configuration key path, such as {@code serve.public.port}. */
  public String key() {
    return key;
  }
}
