package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.Identity.Credentials;
import io.ory4j.identity.Identity.RecoveryAddress;
import io.ory4j.identity.Identity.VerifiableAddress;
import io.ory4j.identity.hash.PasswordHasher;
import io.ory4j.identity.hash.PasswordHashes;
import io.ory4j.identity.spi.IdentityStore;
import io.ory4j.identity.spi.SessionStore;
import io.ory4j.identity.store.memory.InMemoryIdentityStore;
import io.ory4j.identity.store.memory.InMemorySessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kratos in plain Java: identities validated against their schemas, passwords hashed as Kratos does, and sessions.
 *
 * <pre>{@code
 * IdentityService identities = IdentityService.builder().schemas(schemas).build();
 * IdentityService.Login reg = identities.registerWithPassword("default", traits, "a-long-passphrase");
 * Session session = identities.whoami(reg.sessionToken()).orElseThrow();
 * }</pre>
 *
 * <p>Login answers an unknown identifier and a wrong password with the same message (4000006), and hashes a dummy
 * password for an unknown identifier so both take about the same time. Beyond Kratos and off by default:
 * {@link Builder#loginThrottling(int, Duration)} refuses an identifier after repeated failures (message 4000900).
 */
public final class IdentityService {

  private static final Logger log = LoggerFactory.getLogger(IdentityService.class);
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final IdentitySchemas schemas;
  private final IdentityStore identities;
  private final SessionStore sessions;
  private final PasswordHasher hasher;
  private final PasswordPolicy policy;
  private final Clock clock;
  private final IdGenerator ids;
  private final SecretGenerator secrets;
  private final Duration sessionLifespan;
  private final int throttleAttempts;
  private final Duration throttleWindow;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final String dummyHash;

  private record Failures(int count, Instant since) {}

  /** The outcome of a registration or login: the identity, its new session, and the session token. */
  public record Login(Identity identity, Session session, String sessionToken) {}

  private IdentityService(Builder b) {
    this.schemas = Objects.requireNonNull(b.schemas, "schemas are required");
    this.identities = b.identities;
    this.sessions = b.sessions;
    this.hasher = b.hasher;
    this.policy = b.policy;
    this.clock = b.clock;
    this.ids = b.ids;
    this.secrets = b.secrets;
    this.sessionLifespan = b.sessionLifespan;
    this.throttleAttempts = b.throttleAttempts;
    this.throttleWindow = b.throttleWindow;
    this.dummyHash = hasher.hash("ory4j-dummy-password-for-timing".getBytes(StandardCharsets.UTF_8));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The schemas. */
  public IdentitySchemas schemas() {
    return schemas;
  }

  // ---- identities (admin) ----

  /**
   * Creates an identity (Kratos' {@code POST /admin/identities}): traits validated, addresses derived from the
   * schema, and an optional password credential given as a clear-text password (hashed) or an imported hash
   * (validated, stored as is).
   */
  public Identity createIdentity(@Nullable String schemaId, JsonNode traits, @Nullable String state,
      @Nullable String password, @Nullable String hashedPassword, @Nullable JsonNode metadataPublic,
      @Nullable JsonNode metadataAdmin) {
    String sid = schemaId == null || schemaId.isEmpty() ? schemas.defaultId() : schemaId;
    schemas.validate(sid, traits);
    Instant now = clock.instant();
    UUID id = ids.next();
    Map<String, Credentials> credentials = new LinkedHashMap<>();
    if (password != null || hashedPassword != null) {
      credentials.put("password", passwordCredential(sid, traits, password, hashedPassword, now, null));
    }
    Identity identity = new Identity(id, sid, state == null ? Identity.ACTIVE : state, now, traits,
        verifiable(sid, traits, List.of(), now), recovery(sid, traits, List.of(), now), metadataPublic,
        metadataAdmin, credentials, now, now);
    identities.create(identity);
    log.debug("created identity {}", id);
    return identity;
  }

  private Credentials passwordCredential(String schemaId, JsonNode traits, @Nullable String password,
      @Nullable String hashedPassword, Instant now, @Nullable Credentials previous) {
    List<String> identifiers = schemas.passwordIdentifiers(schemaId, traits);
    String hash;
    if (hashedPassword != null) {
      PasswordHashes.validate(hashedPassword);
      hash = hashedPassword;
    } else {
      policy.check(identifiers.isEmpty() ? "" : identifiers.get(0), Objects.requireNonNull(password));
      hash = hasher.hash(password.getBytes(StandardCharsets.UTF_8));
    }
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("hashed_password", hash);
    return new Credentials("password", identifiers, config, 0, previous == null ? now : previous.createdAt(), now);
  }

  private List<VerifiableAddress> verifiable(String schemaId, JsonNode traits, List<VerifiableAddress> old,
      Instant now) {
    List<VerifiableAddress> out = new ArrayList<>();
    for (String[] a : schemas.addresses(schemaId, traits, true)) {
      Optional<VerifiableAddress> kept = old.stream().filter(o -> o.value().equals(a[0]) && o.via().equals(a[1]))
          .findFirst();
      out.add(kept.orElseGet(() -> new VerifiableAddress(ids.next(), a[0], false, a[1], "pending", null, now, now)));
    }
    return out;
  }

  private List<RecoveryAddress> recovery(String schemaId, JsonNode traits, List<RecoveryAddress> old, Instant now) {
    List<RecoveryAddress> out = new ArrayList<>();
    for (String[] a : schemas.addresses(schemaId, traits, false)) {
      Optional<RecoveryAddress> kept = old.stream().filter(o -> o.value().equals(a[0]) && o.via().equals(a[1]))
          .findFirst();
      out.add(kept.orElseGet(() -> new RecoveryAddress(ids.next(), a[0], a[1], now, now)));
    }
    return out;
  }

  /** An identity, with credentials only when asked for. */
  public Optional<Identity> getIdentity(UUID id, boolean includeCredentials) {
    return identities.find(id).map(i -> includeCredentials ? i : i.withoutCredentials());
  }

  /** Identities, one page, without credentials; optionally only the one holding {@code credentialsIdentifier}. */
  public Page<Identity> listIdentities(PageRequest page, @Nullable String credentialsIdentifier) {
    return identities.list(page, credentialsIdentifier == null ? null
        : credentialsIdentifier.trim().toLowerCase(Locale.ROOT)).map(Identity::withoutCredentials);
  }

  /**
   * Replaces traits, state and metadata (Kratos' {@code PUT /admin/identities/{id}}); the password identifiers
   * follow the new traits.
   */
  public Identity updateIdentity(UUID id, @Nullable String schemaId, JsonNode traits, @Nullable String state,
      @Nullable JsonNode metadataPublic, @Nullable JsonNode metadataAdmin) {
    Identity old = identities.find(id).orElseThrow(() -> notFound(id));
    String sid = schemaId == null || schemaId.isEmpty() ? old.schemaId() : schemaId;
    schemas.validate(sid, traits);
    Instant now = clock.instant();
    Map<String, Credentials> creds = new LinkedHashMap<>(old.credentials() == null ? Map.of() : old.credentials());
    Credentials pw = creds.get("password");
    if (pw != null) {
      creds.put("password", new Credentials("password", schemas.passwordIdentifiers(sid, traits), pw.config(),
          pw.version(), pw.createdAt(), now));
    }
    String newState = state == null ? old.state() : state;
    Identity updated = new Identity(id, sid, newState, newState.equals(old.state()) ? old.stateChangedAt() : now,
        traits, verifiable(sid, traits, old.verifiableAddresses(), now),
        recovery(sid, traits, old.recoveryAddresses(), now), metadataPublic, metadataAdmin, creds, old.createdAt(),
        now);
    identities.update(updated);
    return updated.withoutCredentials();
  }

  /** Deletes an identity, its credentials and its sessions. */
  public void deleteIdentity(UUID id) {
    if (!identities.delete(id)) {
      throw notFound(id);
    }
    sessions.deleteAll(id);
  }

  private static OryException notFound(UUID id) {
    return OryException.notFound("Unable to locate the resource").withReason("identity " + id + " does not exist");
  }

  // ---- self-service: registration and login with a password ----

  /** Registers an identity with a password and issues its first session (the API flavor of Kratos' flow). */
  public Login registerWithPassword(@Nullable String schemaId, JsonNode traits, String password) {
    Identity identity;
    try {
      identity = createIdentity(schemaId, traits, Identity.ACTIVE, password, null, null, null);
    } catch (io.ory4j.core.storage.DuplicateException e) {
      throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
    }
    if (schemas.passwordIdentifiers(identity.schemaId(), traits).isEmpty()) {
      identities.delete(identity.id());
      throw OryException.badRequest("The identity schema marks no trait as a password identifier "
          + "(\"ory.sh/kratos\": {\"credentials\": {\"password\": {\"identifier\": true}}}).");
    }
    return issue(identity, "password", "aal1");
  }

  /**
   * Logs in with an identifier and a password. An unknown identifier and a wrong password give the same error.
   * A stored hash made with other parameters than the configured hasher's is replaced after a successful login.
   */
  public Login loginWithPassword(String identifier, String password) {
    String id = identifier.trim().toLowerCase(Locale.ROOT);
    checkThrottle(id);
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    Optional<Identity> found = identities.findByIdentifier("password", id);
    String hash = found.map(i -> i.credentials() == null ? null : i.credentials().get("password"))
        .map(c -> c.config().path("hashed_password").asText(null)).orElse(null);
    boolean ok;
    try {
      ok = PasswordHashes.matches(pw, hash == null ? dummyHash : hash) && hash != null;
    } catch (OryException e) {
      log.warn("identity {} has an unusable password hash: {}", found.map(Identity::id).orElse(null), e.getMessage());
      ok = false;
    }
    if (!ok || !found.get().isActive()) {
      recordFailure(id);
      throw new IdentityException(400, UiMessage.invalidCredentials());
    }
    failures.remove(id);
    Identity identity = found.get();
    if (hasher.needsRehash(hash)) {
      Credentials c = identity.credentials().get("password");
      Map<String, Credentials> creds = new LinkedHashMap<>(identity.credentials());
      creds.put("password", new Credentials("password", c.identifiers(), JsonNodeFactory.instance.objectNode()
          .put("hashed_password", hasher.hash(pw)), c.version(), c.createdAt(), clock.instant()));
      identity = identity.withCredentials(creds);
      identities.update(identity);
      log.debug("rehashed the password of identity {}", identity.id());
    }
    return issue(identity, "password", "aal1");
  }

  private void checkThrottle(String identifier) {
    if (throttleAttempts <= 0) {
      return;
    }
    Failures f = failures.get(identifier);
    Instant now = clock.instant();
    if (f != null && f.count() >= throttleAttempts && now.isBefore(f.since().plus(throttleWindow))) {
      long retry = Duration.between(now, f.since().plus(throttleWindow)).toSeconds() + 1;
      log.warn("login throttled after {} failures", f.count());
      throw new IdentityException(429, UiMessage.loginThrottled(retry));
    }
  }

  private void recordFailure(String identifier) {
    if (throttleAttempts <= 0) {
      return;
    }
    Instant now = clock.instant();
    failures.compute(identifier, (k, f) -> f == null || now.isAfter(f.since().plus(throttleWindow))
        ? new Failures(1, now) : new Failures(f.count() + 1, f.since()));
  }

  private Login issue(Identity identity, String method, String aal) {
    Instant now = clock.instant();
    String token = "ory_st_" + secrets.nextString(32, ALNUM);
    Session s = new Session(ids.next(), true, now.plus(sessionLifespan), now, now, aal,
        List.of(new Session.AuthenticationMethod(method, aal, now)), identity.id(), null);
    sessions.create(s, tokenHash(token));
    return new Login(identity.withoutCredentials(), s.withIdentity(identity.withoutCredentials()), token);
  }

  // ---- sessions ----

  /** The active session of a token (Kratos' whoami), with its identity. */
  public Optional<Session> whoami(String sessionToken) {
    if (sessionToken == null || sessionToken.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    return sessions.findByTokenHash(tokenHash(sessionToken)).filter(s -> s.isActiveAt(now))
        .flatMap(s -> identities.find(s.identityId()).filter(Identity::isActive)
            .map(i -> s.withIdentity(i.withoutCredentials())));
  }

  /** Revokes the session of a token (logout). */
  public boolean logout(String sessionToken) {
    return sessions.findByTokenHash(tokenHash(sessionToken)).map(s -> sessions.revoke(s.id())).orElse(false);
  }

  /** A session by id, with its identity. */
  public Optional<Session> getSession(UUID id) {
    return sessions.find(id).map(s -> s.withIdentity(identities.find(s.identityId())
        .map(Identity::withoutCredentials).orElse(null)));
  }

  /** Sessions of an identity, or all sessions. */
  public Page<Session> listSessions(@Nullable UUID identityId, @Nullable Boolean active, PageRequest page) {
    return sessions.list(identityId, active, page);
  }

  /** Revokes one session. */
  public boolean revokeSession(UUID id) {
    return sessions.revoke(id);
  }

  /** Revokes every session of an identity except {@code keep}. */
  public int revokeSessions(UUID identityId, @Nullable UUID keep) {
    return sessions.revokeAll(identityId, keep);
  }

  /** The SHA-256 of a session token, as stored. */
  static String tokenHash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(
          StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds an {@link IdentityService}. */
  public static final class Builder {
    private IdentitySchemas schemas;
    private IdentityStore identities = new InMemoryIdentityStore();
    private SessionStore sessions = new InMemorySessionStore();
    private PasswordHasher hasher = PasswordHasher.bcrypt();
    private PasswordPolicy policy = PasswordPolicy.kratosDefaults();
    private Clock clock = Clock.systemUTC();
    private IdGenerator ids = IdGenerator.randomV4();
    private SecretGenerator secrets = SecretGenerator.secureRandom();
    private Duration sessionLifespan = Duration.ofHours(24);
    private int throttleAttempts;
    private Duration throttleWindow = Duration.ofMinutes(15);

    private Builder() {}

    public Builder schemas(IdentitySchemas s) {
      schemas = Objects.requireNonNull(s);
      return this;
    }

    public Builder identityStore(IdentityStore s) {
      identities = Objects.requireNonNull(s);
      return this;
    }

    public Builder sessionStore(SessionStore s) {
      sessions = Objects.requireNonNull(s);
      return this;
    }

    /** The hasher for new passwords (default bcrypt cost 12, as Kratos). */
    public Builder hasher(PasswordHasher h) {
      hasher = Objects.requireNonNull(h);
      return this;
    }

    public Builder passwordPolicy(PasswordPolicy p) {
      policy = Objects.requireNonNull(p);
      return this;
    }

    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder ids(IdGenerator g) {
      ids = Objects.requireNonNull(g);
      return this;
    }

    public Builder secrets(SecretGenerator g) {
      secrets = Objects.requireNonNull(g);
      return this;
    }

    /** {@code session.lifespan} (default 24h). */
    public Builder sessionLifespan(Duration d) {
      sessionLifespan = Objects.requireNonNull(d);
      return this;
    }

    /** Beyond Kratos: after {@code attempts} failed logins for one identifier within {@code window}, refuse it. */
    public Builder loginThrottling(int attempts, Duration window) {
      throttleAttempts = attempts;
      throttleWindow = Objects.requireNonNull(window);
      return this;
    }

    public IdentityService build() {
      return new IdentityService(this);
    }
  }
}
