package io.ory4j.core.config;

import io.ory4j.core.jdbc.Dsn;
import io.ory4j.core.secrets.SystemSecrets;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The settings every ory4j server shares, with Ory's names: {@code dsn}, {@code secrets.system},
 * {@code urls.self.issuer}, {@code serve.public.port}, {@code serve.admin.port}.
 *
 * @param dsn where data lives ({@code memory}, {@code postgres://...}, {@code mysql://...}, {@code h2:file:...})
 * @param systemSecrets the system secrets, current first
 * @param issuer the public base URL
 * @param publicPort the public port
 * @param adminPort the admin port
 */
public record CoreConfig(Dsn dsn, SystemSecrets systemSecrets, URI issuer, int publicPort, int adminPort) {

  public static final ConfigKey<String> DSN = ConfigKey.string("dsn", null);
  public static final ConfigKey<List<String>> SECRETS_SYSTEM = ConfigKey.stringList("secrets.system", null);
  public static final ConfigKey<URI> URLS_SELF_ISSUER = ConfigKey.uri("urls.self.issuer", null);
  public static final ConfigKey<Integer> SERVE_PUBLIC_PORT = ConfigKey.port("serve.public.port", 4444);
  public static final ConfigKey<Integer> SERVE_ADMIN_PORT = ConfigKey.port("serve.admin.port", 4445);

  public CoreConfig {
    Objects.requireNonNull(dsn, "dsn");
    Objects.requireNonNull(systemSecrets, "systemSecrets");
    Objects.requireNonNull(issuer, "issuer");
  }

  /** Reads the shared settings; the DSN, secrets and issuer are required. */
  public static CoreConfig from(OryConfig config) {
    Dsn dsn;
    try {
      dsn = Dsn.parse(config.get(DSN));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(DSN.path(), e.getMessage());
    }
    SystemSecrets secrets;
    try {
      secrets = SystemSecrets.of(config.get(SECRETS_SYSTEM));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SECRETS_SYSTEM.path(), e.getMessage());
    }
    return new CoreConfig(dsn, secrets, config.get(URLS_SELF_ISSUER), config.get(SERVE_PUBLIC_PORT),
        config.get(SERVE_ADMIN_PORT));
  }
}
