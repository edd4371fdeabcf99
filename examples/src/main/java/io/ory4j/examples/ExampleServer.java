package io.ory4j.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.ory4j.core.config.ConfigException;
import io.ory4j.core.config.ConfigKey;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.http.HealthHandlers;
import io.ory4j.core.http.HealthHandlers.ReadinessCheck;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.jdbc.Dsn;
import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.migrate.Migrator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.store.jdbc.JdbcJwkSetStore;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentitySchemas;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.hash.PasswordHasher;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.identity.spi.IdentityStore;
import io.ory4j.identity.spi.SessionStore;
import io.ory4j.identity.store.jdbc.JdbcIdentityStore;
import io.ory4j.identity.store.jdbc.JdbcSessionStore;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.embedded.EmbeddedAcp;
import io.ory4j.accessrules.embedded.EmbeddedIntrospection;
import io.ory4j.accessrules.embedded.EmbeddedSessions;
import io.ory4j.accessrules.embedded.InProcessHttpClient;
import io.ory4j.accessrules.http.DecisionApi;
import io.ory4j.accessrules.http.RulesApi;
import io.ory4j.accessrules.spi.HandlerKind;
import io.ory4j.oauth2.ConsentSettings;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.http.RelationTupleApi;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.store.jdbc.JdbcRelationTupleStore;
import io.ory4j.policy.relations.store.memory.InMemoryRelationTupleStore;
import io.ory4j.servlet.AccessRuleFilter;
import io.ory4j.servlet.OryServlet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Slf4jRequestLogWriter;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main example: one process with a public and an admin port, as Ory's servers separate them, configured the way
 * Ory's servers are (environment variables named after the config keys, or a YAML file named by {@code CONFIG}).
 *
 * <p>Run {@code java -jar examples/target/ory4j-examples.jar} (serve), or {@code ... migrate sql [DSN]} to apply the
 * SQL migrations only, as {@code hydra migrate sql} does.
 */
public final class ExampleServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExampleServer.class);

  /** Where data lives; the default is an H2 file database under {@code ./data}, no outside service needed. */
  public static final ConfigKey<String> DSN = ConfigKey.string("dsn", "h2:file:./data/ory4j");
  /** The data folder for the default H2 database and the generated secret. */
  public static final ConfigKey<String> DATA_DIR = ConfigKey.string("data.dir", "./data");
  public static final ConfigKey<List<String>> SECRETS_SYSTEM = ConfigKey.stringList("secrets.system", null);
  public static final ConfigKey<URI> URLS_SELF_ISSUER = ConfigKey.uri("urls.self.issuer", null);
  public static final ConfigKey<Integer> SERVE_PUBLIC_PORT = ConfigKey.port("serve.public.port", 4444);
  public static final ConfigKey<Integer> SERVE_ADMIN_PORT = ConfigKey.port("serve.admin.port", 4445);
  public static final ConfigKey<String> SERVE_PUBLIC_HOST = ConfigKey.string("serve.public.host", "127.0.0.1");
  public static final ConfigKey<String> SERVE_ADMIN_HOST = ConfigKey.string("serve.admin.host", "127.0.0.1");

  /** Keto: an OPL file ({@code file:///path} or a path) declaring the namespaces. */
  public static final ConfigKey<String> NAMESPACES_LOCATION = ConfigKey.string("namespaces.location", null);
  /** Keto: the deepest a check or expand may go. */
  public static final ConfigKey<Integer> LIMIT_MAX_READ_DEPTH = ConfigKey.integer("limit.max_read_depth", 5, 1, 100);
  /** Keto: strict mode. */
  public static final ConfigKey<Boolean> NAMESPACES_STRICT_MODE =
      ConfigKey.bool("namespaces.experimental_strict_mode", false);

  /** Kratos: {@code [{"id":"default","url":"file:///path/schema.json"}]} (JSON), or one file path. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> IDENTITY_SCHEMAS =
      ConfigKey.json("identity.schemas", null);
  /** Kratos: the default identity schema id. */
  public static final ConfigKey<String> IDENTITY_DEFAULT_SCHEMA_ID =
      ConfigKey.string("identity.default_schema_id", "default");
  /** Kratos: how long a session lasts. */
  public static final ConfigKey<java.time.Duration> SESSION_LIFESPAN =
      ConfigKey.duration("session.lifespan", java.time.Duration.ofHours(24));
  /** Kratos: {@code bcrypt} (default) or {@code argon2}. */
  public static final ConfigKey<String> HASHERS_ALGORITHM = ConfigKey.string("hashers.algorithm", "bcrypt");
  /** Kratos: the bcrypt cost. */
  public static final ConfigKey<Integer> HASHERS_BCRYPT_COST = ConfigKey.integer("hashers.bcrypt.cost", 12, 4, 18);
  /** Kratos: argon2 memory, a byte size such as {@code 128MB} (Kratos' default). */
  public static final ConfigKey<String> HASHERS_ARGON2_MEMORY = ConfigKey.string("hashers.argon2.memory", "128MB");
  /** Kratos: argon2 passes. */
  public static final ConfigKey<Integer> HASHERS_ARGON2_ITERATIONS =
      ConfigKey.integer("hashers.argon2.iterations", 1, 1, 32);
  /** Kratos: argon2 lanes (default 2 x CPUs). */
  public static final ConfigKey<Integer> HASHERS_ARGON2_PARALLELISM = ConfigKey.integer("hashers.argon2.parallelism",
      io.ory4j.identity.hash.Argon2Hasher.Params.kratosDefaults().parallelism(), 1, 255);
  /** Kratos: argon2 salt bytes. */
  public static final ConfigKey<Integer> HASHERS_ARGON2_SALT_LENGTH =
      ConfigKey.integer("hashers.argon2.salt_length", 16, 8, 1024);
  /** Kratos: argon2 key bytes. */
  public static final ConfigKey<Integer> HASHERS_ARGON2_KEY_LENGTH =
      ConfigKey.integer("hashers.argon2.key_length", 32, 16, 1024);
  /** Kratos: what {@code /sessions/whoami} requires, {@code highest_available} (default) or {@code aal1}. */
  public static final ConfigKey<String> SESSION_WHOAMI_REQUIRED_AAL =
      ConfigKey.string("session.whoami.required_aal", "highest_available");
  /** Kratos: the shortest password. */
  public static final ConfigKey<Integer> SELFSERVICE_METHODS_PASSWORD_CONFIG_MIN_PASSWORD_LENGTH =
      ConfigKey.integer("selfservice.methods.password.config.min_password_length", 8, 6, 72);
  /** Kratos: refuse passwords too similar to the identifier. */
  public static final ConfigKey<Boolean> SELFSERVICE_METHODS_PASSWORD_CONFIG_IDENTIFIER_SIMILARITY_CHECK_ENABLED =
      ConfigKey.bool("selfservice.methods.password.config.identifier_similarity_check_enabled", true);
  /** Kratos: refuse breached passwords (ory4j checks its offline list; no network call). */
  public static final ConfigKey<Boolean> SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED =
      ConfigKey.bool("selfservice.methods.password.config.haveibeenpwned_enabled", true);
  /** Kratos: the verification flow. */
  public static final ConfigKey<Boolean> SELFSERVICE_FLOWS_VERIFICATION_ENABLED =
      ConfigKey.bool("selfservice.flows.verification.enabled", false);
  /** Kratos: {@code code} or {@code link}. */
  public static final ConfigKey<String> SELFSERVICE_FLOWS_VERIFICATION_USE =
      ConfigKey.string("selfservice.flows.verification.use", "code");
  /** Kratos: the verification UI. */
  public static final ConfigKey<URI> SELFSERVICE_FLOWS_VERIFICATION_UI_URL =
      ConfigKey.uri("selfservice.flows.verification.ui_url", null);
  /** Kratos: send the invalid template to unknown addresses. */
  public static final ConfigKey<Boolean> SELFSERVICE_FLOWS_VERIFICATION_NOTIFY_UNKNOWN_RECIPIENTS =
      ConfigKey.bool("selfservice.flows.verification.notify_unknown_recipients", false);
  /** Kratos: the recovery flow. */
  public static final ConfigKey<Boolean> SELFSERVICE_FLOWS_RECOVERY_ENABLED =
      ConfigKey.bool("selfservice.flows.recovery.enabled", false);
  /** Kratos: {@code code} or {@code link}. */
  public static final ConfigKey<String> SELFSERVICE_FLOWS_RECOVERY_USE =
      ConfigKey.string("selfservice.flows.recovery.use", "code");
  /** Kratos: the recovery UI. */
  public static final ConfigKey<URI> SELFSERVICE_FLOWS_RECOVERY_UI_URL =
      ConfigKey.uri("selfservice.flows.recovery.ui_url", null);
  /** Kratos: send the invalid template to unknown addresses. */
  public static final ConfigKey<Boolean> SELFSERVICE_FLOWS_RECOVERY_NOTIFY_UNKNOWN_RECIPIENTS =
      ConfigKey.bool("selfservice.flows.recovery.notify_unknown_recipients", false);
  /** Kratos: hooks after recovery. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS =
      ConfigKey.json("selfservice.flows.recovery.after.hooks", null);
  /** Kratos: the settings UI. */
  public static final ConfigKey<URI> SELFSERVICE_FLOWS_SETTINGS_UI_URL =
      ConfigKey.uri("selfservice.flows.settings.ui_url", null);
  /** Kratos: how long after authenticating a session may change sensitive settings. */
  public static final ConfigKey<java.time.Duration> SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE =
      ConfigKey.duration("selfservice.flows.settings.privileged_session_max_age", java.time.Duration.ofMinutes(15));
  /** Kratos: the AAL settings need, {@code highest_available} or {@code aal1}. */
  public static final ConfigKey<String> SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL =
      ConfigKey.string("selfservice.flows.settings.required_aal", "highest_available");
  /** Kratos: the webauthn method (security keys, a second factor unless passwordless). */
  public static final ConfigKey<Boolean> SELFSERVICE_METHODS_WEBAUTHN_ENABLED =
      ConfigKey.bool("selfservice.methods.webauthn.enabled", false);
  /** Kratos: webauthn keys enrolled from now on are a first factor. */
  public static final ConfigKey<Boolean> SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS =
      ConfigKey.bool("selfservice.methods.webauthn.config.passwordless", false);
  /** Kratos: the webauthn relying party's id (a domain). */
  public static final ConfigKey<String> SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID =
      ConfigKey.string("selfservice.methods.webauthn.config.rp.id", null);
  /** Kratos: the name authenticators show for the webauthn relying party. */
  public static final ConfigKey<String> SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME =
      ConfigKey.string("selfservice.methods.webauthn.config.rp.display_name", null);
  /** Kratos: the origins browsers may sign webauthn ceremonies from. */
  public static final ConfigKey<List<String>> SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS =
      ConfigKey.stringList("selfservice.methods.webauthn.config.rp.origins", List.of());
  /** Kratos (deprecated single form): the origin of webauthn ceremonies. */
  public static final ConfigKey<String> SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGIN =
      ConfigKey.string("selfservice.methods.webauthn.config.rp.origin", null);
  /** Kratos: the passkey method (discoverable credentials, a first factor). */
  public static final ConfigKey<Boolean> SELFSERVICE_METHODS_PASSKEY_ENABLED =
      ConfigKey.bool("selfservice.methods.passkey.enabled", false);
  /** Kratos: the passkey relying party's id (a domain). */
  public static final ConfigKey<String> SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ID =
      ConfigKey.string("selfservice.methods.passkey.config.rp.id", null);
  /** Kratos: the name authenticators show for the passkey relying party. */
  public static final ConfigKey<String> SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_DISPLAY_NAME =
      ConfigKey.string("selfservice.methods.passkey.config.rp.display_name", null);
  /** Kratos: the origins browsers may sign passkey ceremonies from. */
  public static final ConfigKey<List<String>> SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS =
      ConfigKey.stringList("selfservice.methods.passkey.config.rp.origins", List.of());
  /** Kratos: hooks after verification. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_VERIFICATION_AFTER_HOOKS =
      ConfigKey.json("selfservice.flows.verification.after.hooks", null);
  /** Kratos: hooks after settings. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_SETTINGS_AFTER_HOOKS =
      ConfigKey.json("selfservice.flows.settings.after.hooks", null);
  /** Kratos: hooks after a password change. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode>
      SELFSERVICE_FLOWS_SETTINGS_AFTER_PASSWORD_HOOKS = ConfigKey.json(
          "selfservice.flows.settings.after.password.hooks", null);
  /** Kratos: how long a code works. */
  public static final ConfigKey<java.time.Duration> SELFSERVICE_METHODS_CODE_CONFIG_LIFESPAN =
      ConfigKey.duration("selfservice.methods.code.config.lifespan", java.time.Duration.ofMinutes(15));
  /** Kratos: how long a link works. */
  public static final ConfigKey<java.time.Duration> SELFSERVICE_METHODS_LINK_CONFIG_LIFESPAN =
      ConfigKey.duration("selfservice.methods.link.config.lifespan", java.time.Duration.ofHours(1));
  /**
   * ory4j: without SMTP, write each mail as an {@code .eml} file into this folder (empty: keep mails queued, readable
   * at {@code /admin/courier/messages}); the default is a {@code mail} folder in the data folder.
   */
  public static final ConfigKey<String> COURIER_MAIL_DIR = ConfigKey.string("courier.mail_dir", null);
  /** Kratos: {@code smtp://user:password@host:port/} or {@code smtps://...}; unset, messages stay queued. */
  public static final ConfigKey<URI> COURIER_SMTP_CONNECTION_URI = ConfigKey.uri("courier.smtp.connection_uri", null);
  /** Kratos: the sender address. */
  public static final ConfigKey<String> COURIER_SMTP_FROM_ADDRESS =
      ConfigKey.string("courier.smtp.from_address", "no-reply@ory.kratos.sh");
  /** Kratos: the sender name. */
  public static final ConfigKey<String> COURIER_SMTP_FROM_NAME = ConfigKey.string("courier.smtp.from_name", null);
  /** Kratos: tries before a message is abandoned. */
  public static final ConfigKey<Integer> COURIER_MESSAGE_RETRIES =
      ConfigKey.integer("courier.message_retries", 5, 1, 100);
  /** Kratos: hooks after any registration (JSON list of {@code {"hook": ..., "config": ...}}). */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_REGISTRATION_AFTER_HOOKS =
      ConfigKey.json("selfservice.flows.registration.after.hooks", null);
  /** Kratos: hooks after a password registration; the example signs the new identity in ({@code session}). */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode>
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS = ConfigKey.json(
          "selfservice.flows.registration.after.password.hooks",
          com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("hook", "session")));
  /** Kratos: hooks after any login. */
  /** Kratos' {@code selfservice.methods.oidc.config.providers}: social sign-in providers (generic OpenID Connect). */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS =
      ConfigKey.json("selfservice.methods.oidc.config.providers", null);
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS =
      ConfigKey.json("selfservice.flows.login.after.hooks", null);
  /** Kratos: hooks after a password login. */
  public static final ConfigKey<com.fasterxml.jackson.databind.JsonNode> SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS =
      ConfigKey.json("selfservice.flows.login.after.password.hooks", null);
  /**
   * Kratos: the hooks of each other method, {@code selfservice.flows.<flow>.after.<method>.hooks}, none by default but
   * {@code session} after a webauthn, passkey or oidc registration (as after a password one):
   * login ({@code SELFSERVICE_FLOWS_LOGIN_AFTER_TOTP_HOOKS}, {@code ..._LOOKUP_SECRET_HOOKS}, {@code ..._WEBAUTHN_HOOKS},
   * {@code ..._PASSKEY_HOOKS}, {@code ..._OIDC_HOOKS}, {@code ..._CODE_HOOKS}), registration ({@code webauthn},
   * {@code passkey}, {@code oidc}, {@code code}) and settings ({@code profile}, {@code totp}, {@code lookup_secret},
   * {@code webauthn}, {@code passkey}, {@code oidc}).
   */
  public static final List<ConfigKey<com.fasterxml.jackson.databind.JsonNode>> SELFSERVICE_FLOWS_AFTER_METHOD_HOOKS =
      methodHookKeys();

  private static com.fasterxml.jackson.databind.JsonNode signIn() {
    return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode().add(
        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("hook", "session"));
  }

  private static List<ConfigKey<com.fasterxml.jackson.databind.JsonNode>> methodHookKeys() {
    // the registration methods after which the example signs the new identity in by default, as after a password
    List<String> signedIn = List.of("webauthn", "passkey", "oidc");
    List<ConfigKey<com.fasterxml.jackson.databind.JsonNode>> keys = new java.util.ArrayList<>();
    Map.of("login", io.ory4j.identity.SelfServiceHooks.LOGIN_METHODS, "registration",
        io.ory4j.identity.SelfServiceHooks.REGISTRATION_METHODS, "settings",
        io.ory4j.identity.SelfServiceHooks.SETTINGS_METHODS).forEach((flow, methods) -> methods.stream()
            .filter(m -> !m.equals("password"))
            .forEach(m -> keys.add(ConfigKey.json("selfservice.flows." + flow + ".after." + m + ".hooks",
                flow.equals("registration") && signedIn.contains(m) ? signIn() : null))));
    keys.sort(java.util.Comparator.comparing(ConfigKey::path));
    return List.copyOf(keys);
  }

  /** Kratos: where browsers land after a flow. */
  public static final ConfigKey<URI> SELFSERVICE_DEFAULT_BROWSER_RETURN_URL =
      ConfigKey.uri("selfservice.default_browser_return_url", null);
  /** Kratos: the prefixes {@code return_to} may start with. */
  public static final ConfigKey<List<String>> SELFSERVICE_ALLOWED_RETURN_URLS =
      ConfigKey.stringList("selfservice.allowed_return_urls", List.of());
  /** Kratos: the login UI. */
  public static final ConfigKey<URI> SELFSERVICE_FLOWS_LOGIN_UI_URL =
      ConfigKey.uri("selfservice.flows.login.ui_url", null);
  /** Kratos: the registration UI. */
  public static final ConfigKey<URI> SELFSERVICE_FLOWS_REGISTRATION_UI_URL =
      ConfigKey.uri("selfservice.flows.registration.ui_url", null);

  /** Hydra: the login UI that answers {@code login_challenge} (default: the example's own pages). */
  public static final ConfigKey<URI> URLS_LOGIN = ConfigKey.uri("urls.login", null);
  /** Hydra: the consent UI. */
  public static final ConfigKey<URI> URLS_CONSENT = ConfigKey.uri("urls.consent", null);
  /** Hydra: the logout UI. */
  public static final ConfigKey<URI> URLS_LOGOUT = ConfigKey.uri("urls.logout", null);
  /** Hydra: issue JWT access tokens instead of opaque ones. */
  public static final ConfigKey<String> STRATEGIES_ACCESS_TOKEN = ConfigKey.string("strategies.access_token",
      "opaque");
  /** Hydra: the device verification page (gets {@code device_challenge}); set it to enable the device grant. */
  public static final ConfigKey<URI> URLS_DEVICE_VERIFICATION = ConfigKey.uri("urls.device.verification", null);
  /** Hydra: where the browser ends after a device flow's consent. */
  public static final ConfigKey<URI> URLS_DEVICE_SUCCESS = ConfigKey.uri("urls.device.success", null);
  /** ory4j's DPoP (RFC 9449) on the token and userinfo endpoints; off by default, as Hydra has none. */
  public static final ConfigKey<Boolean> OAUTH2_DPOP_ENABLED = ConfigKey.bool("oauth2.dpop.enabled", false);

  /** Every module whose migrations the example applies, in dependency order. */
  static final String[] MODULES = {"core", "relations", "identity", "oauth2", "policy"};

  /**
   * One line per request, NCSA-like, without the query string and the Referer: both carry secrets in these protocols
   * (a recovery link's {@code token}, an {@code id_token_hint}, a {@code login_challenge}), as Ory redacts them.
   */
  static final String REQUEST_LOG_FORMAT = "%{client}a - %u %t \"%m %U %H\" %s %O \"%{User-Agent}i\"";

  private final Server server;
  private final ServerConnector publicConnector;
  private final ServerConnector adminConnector;
  private final List<AutoCloseable> resources;
  private final JwkSetManager keys;

  private ExampleServer(Server server, ServerConnector publicConnector, ServerConnector adminConnector,
      List<AutoCloseable> resources, JwkSetManager keys) {
    this.server = server;
    this.publicConnector = publicConnector;
    this.adminConnector = adminConnector;
    this.resources = resources;
    this.keys = keys;
  }

  public static void main(String[] args) throws Exception {
    OryConfig config;
    try {
      config = OryConfig.fromEnvironment();
      if (args.length >= 2 && "migrate".equals(args[0]) && "sql".equals(args[1])) {
        String dsn = args.length > 2 ? args[2] : config.get(DSN);
        migrate(Dsn.parse(dsn), config);
        return;
      }
      if (args.length > 0 && !"serve".equals(args[0])) {
        System.err.println("usage: ory4j-examples [serve] | migrate sql [DSN]");
        System.exit(2);
      }
      ExampleServer s = start(config);
      // SIGTERM: one hook, in order (separate hooks would run concurrently and could close the pool under a request)
      Runtime.getRuntime().addShutdownHook(new Thread(s::closeQuietly, "ory4j-shutdown"));
      System.out.println("ory4j example is running: public " + s.publicUrl() + " admin " + s.adminUrl());
      s.server.join();
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("ory4j: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Applies every module's migrations to the database of {@code dsn}. */
  static void migrate(Dsn dsn, OryConfig config) throws IOException {
    if (dsn.isMemory()) {
      System.out.println("DSN=memory: nothing to migrate");
      return;
    }
    prepareDataDir(dsn, config);
    try (HikariDataSource ds = pool(dsn)) {
      for (Migrator.Result r : new Migrator(ds).migrate(MODULES)) {
        System.out.println("module " + r.module() + ": version " + r.fromVersion() + " -> " + r.toVersion()
            + (r.applied().isEmpty() ? " (up to date)" : " (applied " + r.applied() + ")"));
      }
    }
  }

  /** Starts the server; ports 0 pick free ports. */
  public static ExampleServer start(OryConfig config) throws Exception {
    return start(config, Clock.systemUTC());
  }

  /** Starts the server on {@code clock} (the engines' clock: tokens, sessions, flows, TOTP), for tests. */
  static ExampleServer start(OryConfig config, Clock clock) throws Exception {
    OryJson json = OryJson.create();
    Dsn dsn = parseDsn(config);
    List<AutoCloseable> resources = new ArrayList<>();
    SystemSecrets secrets = secrets(config);

    JwkSetStore keyStore;
    RelationTupleStore tupleStore;
    IdentityStore identityStore;
    SessionStore sessionStore;
    io.ory4j.identity.spi.FlowStore flowStore;
    io.ory4j.identity.spi.CourierMessageStore messageStore;
    io.ory4j.identity.spi.CodeStore codeStore;
    io.ory4j.identity.spi.IdentityEraser eraser = null;
    OAuth2Provider.Builder oauth2 = OAuth2Provider.builder();
    PolicyEngine.Builder acp = PolicyEngine.builder().clock(clock);
    Map<String, ReadinessCheck> checks = new LinkedHashMap<>();
    if (dsn.isMemory()) {
      keyStore = new InMemoryJwkSetStore();
      tupleStore = new InMemoryRelationTupleStore();
      identityStore = new InMemoryIdentityStore();
      sessionStore = new InMemorySessionStore();
      flowStore = new io.ory4j.identity.store.memory.InMemoryFlowStore();
      messageStore = new io.ory4j.identity.store.memory.InMemoryCourierMessageStore();
      codeStore = new io.ory4j.identity.store.memory.InMemoryCodeStore();
      oauth2.inMemory();
      log.warn("DSN=memory: everything is lost when the process stops");
    } else {
      prepareDataDir(dsn, config);
      HikariDataSource ds = pool(dsn);
      resources.add(ds);
      new Migrator(ds).migrate(MODULES);
      keyStore = new JdbcJwkSetStore(new Jdbc(ds));
      tupleStore = new JdbcRelationTupleStore(new Jdbc(ds));
      identityStore = new JdbcIdentityStore(new Jdbc(ds), json);
      sessionStore = new JdbcSessionStore(new Jdbc(ds), json);
      flowStore = new io.ory4j.identity.store.jdbc.JdbcFlowStore(new Jdbc(ds));
      messageStore = new io.ory4j.identity.store.jdbc.JdbcCourierMessageStore(new Jdbc(ds));
      codeStore = new io.ory4j.identity.store.jdbc.JdbcCodeStore(new Jdbc(ds));
      eraser = new io.ory4j.identity.store.jdbc.JdbcIdentityEraser(new Jdbc(ds));
      oauth2.clientStore(new io.ory4j.oauth2.store.jdbc.JdbcClientStore(new Jdbc(ds)))
          .flowStore(new io.ory4j.oauth2.store.jdbc.JdbcFlowStore(new Jdbc(ds)))
          .tokenStore(new io.ory4j.oauth2.store.jdbc.JdbcTokenStore(new Jdbc(ds)));
      acp.policyStore(new io.ory4j.policy.acp.store.jdbc.JdbcPolicyStore(new Jdbc(ds)))
          .roleStore(new io.ory4j.policy.acp.store.jdbc.JdbcRoleStore(new Jdbc(ds)));
      checks.put("database", () -> ping(ds));
    }
    JwkSetManager keys = new JwkSetManager(keyStore, new SecretCipher(secrets), clock, IdGenerator.randomV4());
    Permissions permissions = permissions(config, tupleStore);
    RelationTupleApi relations = new RelationTupleApi(permissions, json);
    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("ory4j");
    Server server = new Server(threads);
    ServerConnector publicConnector = connector(server, "public", config.get(SERVE_PUBLIC_HOST),
        config.get(SERVE_PUBLIC_PORT));
    ServerConnector adminConnector = connector(server, "admin", config.get(SERVE_ADMIN_HOST),
        config.get(SERVE_ADMIN_PORT));
    // bind now, so that a port 0 is known before the issuer and the flows' URLs are made from it
    publicConnector.open();
    adminConnector.open();
    String publicBase = config.find(URLS_SELF_ISSUER).map(u -> u.toString().replaceAll("/+$", ""))
        .orElse("http://" + config.get(SERVE_PUBLIC_HOST) + ":" + publicConnector.getLocalPort());
    // built once the public URL is known: it is the relying party's default id and origin of WebAuthn and passkeys
    IdentityService identityService = IdentityService.builder().schemas(identitySchemas(config, json))
        .identityStore(identityStore).sessionStore(sessionStore).hasher(hasher(config)).clock(clock)
        .sessionLifespan(config.get(SESSION_LIFESPAN)).hooks(selfServiceHooks(config))
        .oidcProviders(oidcProviders(config))
        .passwordPolicy(passwordPolicy(config)).whoamiRequiredAal(whoamiRequiredAal(config))
        .courier(courier(config, messageStore, clock, resources)).codeStore(codeStore)
        .verification(verification(config)).recovery(recovery(config)).eraser(eraser)
        .privilegedSessionMaxAge(config.get(SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE))
        .settingsRequiredAal(settingsRequiredAal(config))
        .webAuthn(webAuthn(config, URI.create(publicBase))).passkey(passkey(config, URI.create(publicBase)))
        .build();
    URI returnTo = config.find(SELFSERVICE_DEFAULT_BROWSER_RETURN_URL).orElse(URI.create(publicBase + "/"));
    BrowserSettings browser = new BrowserSettings(
        config.find(SELFSERVICE_FLOWS_LOGIN_UI_URL).orElse(URI.create(publicBase + "/login")),
        config.find(SELFSERVICE_FLOWS_REGISTRATION_UI_URL).orElse(URI.create(publicBase + "/registration")),
        returnTo, config.get(SELFSERVICE_ALLOWED_RETURN_URLS).stream().map(URI::create).toList(),
        publicBase.startsWith("https://")).withVerificationUi(config.find(SELFSERVICE_FLOWS_VERIFICATION_UI_URL)
            .orElse(URI.create(publicBase + "/verification"))).withRecoveryUi(config.find(
                SELFSERVICE_FLOWS_RECOVERY_UI_URL).orElse(URI.create(publicBase + "/recovery")))
        .withSettingsUi(config.find(SELFSERVICE_FLOWS_SETTINGS_UI_URL).orElse(URI.create(publicBase + "/settings")));
    IdentityApi identityApi = new IdentityApi(identityService, json, clock, publicBase, browser, flowStore);
    boolean https = publicBase.startsWith("https://");
    ConsentSettings consent = new ConsentSettings(
        config.find(URLS_LOGIN).orElse(URI.create(publicBase + "/ui/login")),
        config.find(URLS_CONSENT).orElse(URI.create(publicBase + "/ui/consent")),
        config.find(URLS_LOGOUT).orElse(URI.create(publicBase + "/ui/logout")),
        URI.create(publicBase + "/ui/logged-out"), java.time.Duration.ofMinutes(30), https);
    config.find(URLS_DEVICE_VERIFICATION).ifPresent(verification -> oauth2.deviceAuthorization(
        io.ory4j.oauth2.DeviceSettings.of(verification, config.find(URLS_DEVICE_SUCCESS)
            .orElse(URI.create(publicBase + "/ui/logged-out")))));
    OAuth2Provider provider = oauth2.issuer(publicBase).systemSecrets(secrets).keys(keys).clock(clock)
        .consentSettings(consent)
        .tokenSettings(io.ory4j.oauth2.TokenSettings.defaults().withJwtAccessTokens(
            "jwt".equals(config.get(STRATEGIES_ACCESS_TOKEN))))
        .dpop(config.get(OAUTH2_DPOP_ENABLED) ? io.ory4j.oauth2.DpopSettings.enabled60s()
            : io.ory4j.oauth2.DpopSettings.disabled())
        .build();
    PolicyEngine policyEngine = acp.build();
    AccessRules accessRules = accessRules(config, provider, policyEngine, identityService, json, clock, keys,
        new BlogAuthorizer(policyEngine, permissions, json));
    // Hydra's login, consent and logout challenges answered with the identity sessions (ory-identity's ready provider)
    io.ory4j.identity.oauth2.LoginConsentProvider ui = io.ory4j.identity.oauth2.LoginConsentProvider.builder()
        .provider(provider).identities(identityService).json(json).clock(clock).uiUrl(URI.create(publicBase + "/ui"))
        .selfServiceUrl(URI.create(publicBase)).secureCookies(https).systemSecrets(secrets).build();

    Router publicApi = Router.builder(new io.ory4j.core.http.OryErrorRenderer(json))
        .mount(new HealthHandlers(json, checks).router())
        .mount(relations.readApi())
        .mount(identityApi.publicApi())
        .mount(provider.publicApi())
        .mount(ui.router())
        // the host app's own pages: Kratos' self-service UI (rendered from the flows' JSON) and the blog
        .mount(new SelfServiceUi(identityApi.publicApi(), json).router())
        .mount(new BlogPage(json).router())
        .mount(new DecisionApi(accessRules).router())
        .build();
    Router adminApi = Router.builder(new io.ory4j.core.http.OryErrorRenderer(json))
        .mount(new HealthHandlers(json, checks).router())
        .mount(relations.writeApi())
        .mount(relations.readApi())
        .mount(identityApi.adminApi())
        .mount(provider.adminApi())
        .mount(policyEngine.acpApi(json))
        .mount(new RulesApi(accessRules).router())
        .build();

    ServletContextHandler publicCtx = context("@public", publicApi);
    // the host app's own endpoint, behind Oathkeeper's rules: the blog API at /api/*
    publicCtx.addServlet(new ServletHolder(new OryServlet(new BlogApi(json, clock, IdGenerator.randomV4(),
        permissions).router())), "/api/*");
    publicCtx.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(new AccessRuleFilter(accessRules)), "/api/*",
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    ServletContextHandler adminCtx = context("@admin", adminApi);
    StatisticsHandler stats = new StatisticsHandler(new Handler.Sequence(publicCtx, adminCtx));
    // Jetty 12 tracks in-flight requests for a graceful stop in GracefulHandler (StatisticsHandler no longer does)
    server.setHandler(new GracefulHandler(stats));
    server.setRequestLog(new CustomRequestLog(new Slf4jRequestLogWriter(), REQUEST_LOG_FORMAT));
    // graceful: on stop the connectors close, in-flight requests get up to 10 s to finish, then the pool closes
    server.setStopTimeout(10_000);
    server.start();
    return new ExampleServer(server, publicConnector, adminConnector, resources, keys);
  }

  /** Keto's engine from {@code NAMESPACES_LOCATION} (an OPL file), or the example's own model. */
  static Permissions permissions(OryConfig config, RelationTupleStore store) throws IOException {
    String opl;
    Optional<String> location = config.find(NAMESPACES_LOCATION);
    if (location.isPresent()) {
      String l = location.get();
      Path path = l.startsWith("file://") ? Path.of(URI.create(l)) : Path.of(l);
      opl = Files.readString(path);
    } else {
      try (var in = ExampleServer.class.getResourceAsStream("/examples/namespaces.ts")) {
        opl = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    try {
      return Permissions.builder().opl(opl).store(store).maxReadDepth(config.get(LIMIT_MAX_READ_DEPTH))
          .strictMode(config.get(NAMESPACES_STRICT_MODE)).build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(NAMESPACES_LOCATION.path(), e.getMessage());
    }
  }

  /** Kratos' identity schemas from {@code IDENTITY_SCHEMAS}, or the example's email-and-password schema. */
  static IdentitySchemas identitySchemas(OryConfig config, OryJson json) throws IOException {
    String defaultId = config.get(IDENTITY_DEFAULT_SCHEMA_ID);
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> schemas = new java.util.LinkedHashMap<>();
    Optional<com.fasterxml.jackson.databind.JsonNode> configured = config.find(IDENTITY_SCHEMAS);
    if (configured.isPresent()) {
      com.fasterxml.jackson.databind.JsonNode list = configured.get();
      if (!list.isArray()) {
        throw new ConfigException(IDENTITY_SCHEMAS.path(), "must be a list of {\"id\", \"url\"}");
      }
      for (com.fasterxml.jackson.databind.JsonNode e : list) {
        String url = e.path("url").asText("");
        Path path = url.startsWith("file://") ? Path.of(URI.create(url)) : Path.of(url);
        try {
          schemas.put(e.path("id").asText(), json.readTree(Files.readAllBytes(path)));
        } catch (IOException | io.ory4j.core.error.OryException ex) {
          throw new ConfigException(IDENTITY_SCHEMAS.path(), "cannot read schema " + url + ": " + ex.getMessage());
        }
      }
    } else {
      try (var in = ExampleServer.class.getResourceAsStream("/examples/identity.schema.json")) {
        schemas.put(defaultId, json.readTree(in.readAllBytes()));
      }
    }
    try {
      return IdentitySchemas.of(defaultId, schemas);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(IDENTITY_DEFAULT_SCHEMA_ID.path(), e.getMessage());
    }
  }

  static PasswordHasher hasher(OryConfig config) {
    return switch (config.get(HASHERS_ALGORITHM)) {
      case "bcrypt" -> new BcryptHasher(config.get(HASHERS_BCRYPT_COST), new SecureRandom());
      case "argon2" -> {
        try {
          yield new io.ory4j.identity.hash.Argon2Hasher(new io.ory4j.identity.hash.Argon2Hasher.Params(
              kibibytes(config.get(HASHERS_ARGON2_MEMORY)), config.get(HASHERS_ARGON2_ITERATIONS),
              config.get(HASHERS_ARGON2_PARALLELISM), config.get(HASHERS_ARGON2_SALT_LENGTH),
              config.get(HASHERS_ARGON2_KEY_LENGTH)), new SecureRandom());
        } catch (IllegalArgumentException | io.ory4j.identity.hash.PasswordHashException e) {
          throw new ConfigException("hashers.argon2", e.getMessage());
        }
      }
      default -> throw new ConfigException(HASHERS_ALGORITHM.path(), "must be bcrypt or argon2");
    };
  }

  /** Kratos' byte sizes ({@code 128MB}, {@code 65536KB}; 1KB = 1024 bytes) in KiB. */
  static int kibibytes(String size) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)\\s*(\\d{1,12})\\s*(B|KB|MB|GB)?\\s*").matcher(size);
    if (!m.matches()) {
      throw new ConfigException(HASHERS_ARGON2_MEMORY.path(), "must be a byte size such as 128MB, not " + size);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(java.util.Locale.ROOT);
    long bytes = switch (unit) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      case "GB" -> n << 30;
      default -> n;
    };
    if (bytes / 1024 > Integer.MAX_VALUE) {
      throw new ConfigException(HASHERS_ARGON2_MEMORY.path(), "is too large: " + size);
    }
    return (int) (bytes / 1024);
  }

  /** Kratos' social sign-in providers; a bad one stops the start with the key. */
  static List<io.ory4j.identity.OidcProvider> oidcProviders(OryConfig config) {
    try {
      return config.find(SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS).map(
          io.ory4j.identity.OidcProvider::fromKratosConfig).orElse(List.of());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS.path(), e.getMessage());
    }
  }

  /** Kratos' {@code selfservice.flows.*.after} hooks; the example signs a new registration in unless told otherwise. */
  static io.ory4j.identity.SelfServiceHooks selfServiceHooks(OryConfig config) {
    Map<String, List<io.ory4j.identity.SelfServiceHooks.Hook>> methods = new java.util.LinkedHashMap<>();
    for (ConfigKey<com.fasterxml.jackson.databind.JsonNode> key : SELFSERVICE_FLOWS_AFTER_METHOD_HOOKS) {
      // selfservice.flows.<flow>.after.<method>.hooks: the map key is <flow>.<method>
      String[] p = key.path().split("\\.");
      List<io.ory4j.identity.SelfServiceHooks.Hook> hooks = hookList(config, key);
      try {
        methods.put(p[2] + "." + p[4], hooks);
        new io.ory4j.identity.SelfServiceHooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), Map.of(p[2] + "." + p[4], hooks));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key.path(), e.getMessage());
      }
    }
    return new io.ory4j.identity.SelfServiceHooks(
        hookList(config, SELFSERVICE_FLOWS_REGISTRATION_AFTER_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_LOGIN_AFTER_PASSWORD_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_RECOVERY_AFTER_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_SETTINGS_AFTER_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_SETTINGS_AFTER_PASSWORD_HOOKS),
        hookList(config, SELFSERVICE_FLOWS_VERIFICATION_AFTER_HOOKS), methods);
  }

  private static List<io.ory4j.identity.SelfServiceHooks.Hook> hookList(OryConfig config,
      ConfigKey<com.fasterxml.jackson.databind.JsonNode> key) {
    try {
      List<io.ory4j.identity.SelfServiceHooks.Hook> hooks = io.ory4j.identity.SelfServiceHooks.parse(key.path(),
          config.find(key).orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
      // refuse a hook the flow does not take now, naming this key
      boolean login = key.path().startsWith("selfservice.flows.login")
          || key.path().startsWith("selfservice.flows.recovery") || key.path().startsWith("selfservice.flows.settings");
      io.ory4j.identity.SelfServiceHooks none = io.ory4j.identity.SelfServiceHooks.none();
      if (key.path().startsWith("selfservice.flows.verification")) {
        none.withVerificationAfter(hooks);
      } else if (login) {
        none.withLoginAfter(hooks);
      } else {
        none.withRegistrationAfter(hooks);
      }
      return hooks;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key.path(), e.getMessage());
    }
  }

  static io.ory4j.identity.PasswordPolicy passwordPolicy(OryConfig config) {
    return new io.ory4j.identity.PasswordPolicy(config.get(SELFSERVICE_METHODS_PASSWORD_CONFIG_MIN_PASSWORD_LENGTH),
        config.get(SELFSERVICE_METHODS_PASSWORD_CONFIG_IDENTIFIER_SIMILARITY_CHECK_ENABLED),
        config.get(SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED)
            ? io.ory4j.identity.PasswordPolicy.offlineList() : password -> false);
  }

  /**
   * Kratos' courier: SMTP from {@code COURIER_SMTP_CONNECTION_URI} (without it messages stay queued), dispatched
   * every second on a daemon thread, as {@code kratos serve --watch-courier}.
   */
  static io.ory4j.identity.Courier courier(OryConfig config, io.ory4j.identity.spi.CourierMessageStore store,
      Clock clock, List<AutoCloseable> resources) {
    io.ory4j.identity.spi.MailSender sender = null;
    Optional<URI> smtp = config.find(COURIER_SMTP_CONNECTION_URI);
    String folder = config.find(COURIER_MAIL_DIR).orElse(Path.of(config.get(DATA_DIR), "mail").toString());
    if (smtp.isEmpty() && !folder.isBlank()) {
      sender = new MailFolder(Path.of(folder), config.get(COURIER_SMTP_FROM_ADDRESS), clock);
    }
    if (smtp.isPresent()) {
      try {
        sender = new io.ory4j.identity.mail.SmtpMailSender(smtp.get(), config.get(COURIER_SMTP_FROM_ADDRESS),
            config.find(COURIER_SMTP_FROM_NAME).orElse(null), java.time.Duration.ofSeconds(10));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(COURIER_SMTP_CONNECTION_URI.path(), e.getMessage());
      }
    }
    io.ory4j.identity.Courier courier = io.ory4j.identity.Courier.builder().store(store).sender(sender).clock(clock)
        .messageRetries(config.get(COURIER_MESSAGE_RETRIES)).build();
    if (sender != null) {
      java.util.concurrent.ScheduledExecutorService watcher = java.util.concurrent.Executors
          .newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ory4j-courier");
            t.setDaemon(true);
            return t;
          });
      watcher.scheduleWithFixedDelay(() -> {
        try {
          courier.dispatchQueued();
        } catch (RuntimeException e) {
          log.warn("courier dispatch failed: {}", e.toString());
        }
      }, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
      resources.add(watcher::shutdownNow);
    }
    return courier;
  }

  static io.ory4j.identity.CodeFlowSettings verification(OryConfig config) {
    return codeFlow(config, SELFSERVICE_FLOWS_VERIFICATION_ENABLED, SELFSERVICE_FLOWS_VERIFICATION_USE,
        SELFSERVICE_FLOWS_VERIFICATION_NOTIFY_UNKNOWN_RECIPIENTS);
  }

  static io.ory4j.identity.CodeFlowSettings recovery(OryConfig config) {
    return codeFlow(config, SELFSERVICE_FLOWS_RECOVERY_ENABLED, SELFSERVICE_FLOWS_RECOVERY_USE,
        SELFSERVICE_FLOWS_RECOVERY_NOTIFY_UNKNOWN_RECIPIENTS);
  }

  private static io.ory4j.identity.CodeFlowSettings codeFlow(OryConfig config, ConfigKey<Boolean> enabled,
      ConfigKey<String> use, ConfigKey<Boolean> notifyUnknown) {
    try {
      return new io.ory4j.identity.CodeFlowSettings(config.get(enabled), config.get(use),
          config.get(SELFSERVICE_METHODS_CODE_CONFIG_LIFESPAN), config.get(SELFSERVICE_METHODS_LINK_CONFIG_LIFESPAN),
          config.get(notifyUnknown));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(use.path(), e.getMessage());
    }
  }

  /**
   * {@code selfservice.methods.webauthn}: off unless enabled; {@code rp.origin} counts when {@code rp.origins} is
   * empty; {@code rp.display_name} defaults to the RP id.
   */
  static io.ory4j.identity.WebAuthnSettings webAuthn(OryConfig config) {
    return webAuthn(config, null);
  }

  /**
   * {@code selfservice.methods.webauthn} of a server whose public URL is {@code publicUrl}: when {@code rp.id} is
   * unset it is the public URL's host, and when no origin is set the public URL's origin (the example's pages and the
   * identity API share it).
   */
  static io.ory4j.identity.WebAuthnSettings webAuthn(OryConfig config,
      @org.jspecify.annotations.Nullable URI publicUrl) {
    List<String> origins = new java.util.ArrayList<>(config.get(SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS));
    if (origins.isEmpty()) {
      config.find(SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGIN).ifPresent(origins::add);
    }
    return relyingParty(config, SELFSERVICE_METHODS_WEBAUTHN_ENABLED, SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ID,
        SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_DISPLAY_NAME, SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP_ORIGINS, origins,
        publicUrl).withPasswordless(config.get(SELFSERVICE_METHODS_WEBAUTHN_CONFIG_PASSWORDLESS));
  }

  /** {@code selfservice.methods.passkey}: off unless enabled. */
  static io.ory4j.identity.WebAuthnSettings passkey(OryConfig config) {
    return passkey(config, null);
  }

  /** {@code selfservice.methods.passkey}, with the defaults of {@link #webAuthn(OryConfig, URI)}. */
  static io.ory4j.identity.WebAuthnSettings passkey(OryConfig config,
      @org.jspecify.annotations.Nullable URI publicUrl) {
    return relyingParty(config, SELFSERVICE_METHODS_PASSKEY_ENABLED, SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ID,
        SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_DISPLAY_NAME, SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS,
        config.get(SELFSERVICE_METHODS_PASSKEY_CONFIG_RP_ORIGINS), publicUrl);
  }

  private static io.ory4j.identity.WebAuthnSettings relyingParty(OryConfig config, ConfigKey<Boolean> enabled,
      ConfigKey<String> rpId, ConfigKey<String> displayName, ConfigKey<List<String>> originsKey, List<String> origins,
      @org.jspecify.annotations.Nullable URI publicUrl) {
    if (!config.get(enabled)) {
      return io.ory4j.identity.WebAuthnSettings.disabled();
    }
    String id = publicUrl == null ? config.get(rpId) : config.find(rpId).orElse(publicUrl.getHost());
    if (isIpAddress(id)) {
      // browsers refuse an IP address as the relying party's id (WebAuthn: "a valid domain string")
      throw new ConfigException(rpId.path(), "\"" + id + "\" is an IP address; browsers accept only a domain as the "
          + "relying party's id: serve the example on localhost (SERVE_PUBLIC_HOST=localhost) or a domain");
    }
    if (origins.isEmpty() && publicUrl != null) {
      origins = List.of(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority());
    }
    try {
      return new io.ory4j.identity.WebAuthnSettings(true, id, config.find(displayName).orElse(id), origins, false);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage();
      throw new ConfigException(reason.contains("origins") ? originsKey.path() : rpId.path(), reason);
    }
  }

  /** An IPv4 literal, or an IPv6 one (with or without brackets). */
  private static boolean isIpAddress(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":") || host.startsWith("[");
  }

  static String settingsRequiredAal(OryConfig config) {
    return requiredAal(config, SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL);
  }

  static String whoamiRequiredAal(OryConfig config) {
    return requiredAal(config, SESSION_WHOAMI_REQUIRED_AAL);
  }

  private static String requiredAal(OryConfig config, ConfigKey<String> key) {
    String aal = config.get(key);
    if (!aal.equals("highest_available") && !aal.equals("aal1")) {
      throw new ConfigException(key.path(), "must be highest_available or aal1");
    }
    return aal;
  }

  /**
   * Oathkeeper's pipeline configured as Ory configures it ({@code ACCESS_RULES_REPOSITORIES},
   * {@code AUTHENTICATORS_<NAME>_ENABLED}, ...), with the example's blog rules when no repository is given, and the
   * other engines answering in process.
   */
  static AccessRules accessRules(OryConfig config, OAuth2Provider provider, PolicyEngine acp,
      IdentityService identities, OryJson json, Clock clock, JwkSetManager keys, BlogAuthorizer blogAuthorizer)
      throws IOException {
    java.util.Map<String, String> env = new java.util.LinkedHashMap<>(config.environmentWithPrefix(""));
    if (!env.containsKey("ACCESS_RULES_REPOSITORIES")) {
      Path dir = Files.createDirectories(Path.of(config.get(DATA_DIR)));
      Path rules = dir.resolve("access-rules.json");
      try (var in = ExampleServer.class.getResourceAsStream("/examples/access-rules.json")) {
        Files.write(rules, in.readAllBytes());
      }
      env.put("ACCESS_RULES_REPOSITORIES", rules.toUri().toString());
    }
    AccessRules.Builder b = AccessRules.builder().json(json).clock(clock).keys(keys)
        .enable(HandlerKind.AUTHENTICATOR, "anonymous")
        .enable(HandlerKind.AUTHENTICATOR, "cookie_session", "{\"subject_from\":\"identity.id\"}")
        .enable(HandlerKind.AUTHENTICATOR, "oauth2_introspection")
        .enable(HandlerKind.AUTHORIZER, "allow").enable(HandlerKind.AUTHORIZER, "deny")
        .enable(HandlerKind.AUTHORIZER, "keto_engine_acp_ory").enable(HandlerKind.AUTHORIZER, "remote_json")
        .enable(HandlerKind.MUTATOR, "noop").enable(HandlerKind.MUTATOR, "header")
        // the blog's decision endpoint, asked by the delete rule's remote_json, answered in process
        .httpClient(InProcessHttpClient.builder(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build())
            .route(BlogAuthorizer.BASE, blogAuthorizer.router()).build())
        .tokenIntrospector(EmbeddedIntrospection.of(provider)).acpDecider(EmbeddedAcp.of(acp))
        .sessionResolver(EmbeddedSessions.of(identities, json));
    try {
      return b.environment(env).build();
    } catch (RuntimeException e) {
      throw new ConfigException("access_rules.repositories", e.getMessage());
    }
  }

  /** The public base URL. */
  public URI publicUrl() {
    return URI.create("http://" + host(publicConnector) + ":" + publicConnector.getLocalPort() + "/");
  }

  /** The admin base URL. */
  public URI adminUrl() {
    return URI.create("http://" + host(adminConnector) + ":" + adminConnector.getLocalPort() + "/");
  }

  /** The key manager (for later modules and tests). */
  public JwkSetManager keys() {
    return keys;
  }

  /** Stops gracefully: no new connections, in-flight requests finish (up to 10 s), then the pool closes. */
  @Override
  public void close() throws Exception {
    try {
      server.stop();
    } finally {
      closeResources();
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      log.warn("shutdown: {}", e.getMessage());
    }
  }

  /** Whether a stop has begun (for tests of the graceful shutdown). */
  boolean stopping() {
    return server.isStopping() || server.isStopped();
  }

  /** Requests being handled now, on both ports. */
  int requestsInFlight() {
    return server.getDescendant(StatisticsHandler.class).getRequestsActive();
  }

  private synchronized void closeResources() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("could not close {}: {}", r, e.getMessage());
      }
    }
    resources.clear();
  }

  private static String host(ServerConnector c) {
    return c.getHost() == null ? "localhost" : c.getHost();
  }

  private static ServerConnector connector(Server server, String name, String host, int port) {
    ServerConnector c = new ServerConnector(server);
    c.setName(name);
    c.setHost(host);
    c.setPort(port);
    server.addConnector(c);
    return c;
  }

  private static ServletContextHandler context(String virtualHost, Router router) {
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.setVirtualHosts(List.of(virtualHost));
    ctx.addServlet(new ServletHolder(new OryServlet(router)), "/*");
    return ctx;
  }

  private static Dsn parseDsn(OryConfig config) {
    try {
      return Dsn.parse(config.get(DSN));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(DSN.path(), e.getMessage());
    }
  }

  /**
   * The system secrets from {@code SECRETS_SYSTEM}; when unset, a secret generated once and kept in the data folder
   * (so keys stay readable across restarts), with a warning that production must set it.
   */
  static SystemSecrets secrets(OryConfig config) throws IOException {
    Optional<List<String>> configured = config.find(SECRETS_SYSTEM);
    if (configured.isPresent()) {
      try {
        return SystemSecrets.of(configured.get());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(SECRETS_SYSTEM.path(), e.getMessage());
      }
    }
    Path dir = Path.of(config.get(DATA_DIR));
    Files.createDirectories(dir);
    Path file = dir.resolve("system-secret");
    if (!Files.exists(file)) {
      byte[] b = new byte[32];
      new SecureRandom().nextBytes(b);
      Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(b));
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      log.warn("SECRETS_SYSTEM is not set: generated a system secret in {} (set SECRETS_SYSTEM in production)", file);
    }
    return SystemSecrets.of(Files.readString(file).trim());
  }

  private static void prepareDataDir(Dsn dsn, OryConfig config) throws IOException {
    if (dsn.jdbcUrl().startsWith("jdbc:h2:file:")) {
      Files.createDirectories(Path.of(config.get(DATA_DIR)));
    }
  }

  private static HikariDataSource pool(Dsn dsn) {
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(dsn.jdbcUrl());
    if (dsn.user() != null) {
      hc.setUsername(dsn.user());
    }
    if (dsn.password() != null) {
      hc.setPassword(dsn.password());
    }
    hc.setMaximumPoolSize(16);
    // a request waits at most 5 s for a connection, then answers 503 (Hikari's default would hold it for 30 s)
    hc.setConnectionTimeout(5_000);
    hc.setPoolName("ory4j");
    hc.setInitializationFailTimeout(10_000);
    return new HikariDataSource(hc);
  }

  private static String ping(DataSource ds) {
    try (Connection c = ds.getConnection()) {
      return c.isValid(2) ? null : "the database did not answer";
    } catch (Exception e) {
      return "the database is unavailable: " + e.getMessage();
    }
  }
}
