package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryError;
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
import io.ory4j.identity.internal.Totp;
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
  private final String whoamiRequiredAal;
  private final int throttleAttempts;
  private final Duration throttleWindow;
  private final Map<String, Failures> failures = new ConcurrentHashMap<>();
  private final java.util.concurrent.Semaphore hashPermits;
  private final Duration hashWait;
  private final String dummyHash;
  private final SelfServiceHooks hooks;
  private final io.ory4j.identity.internal.WebHookCaller webHooks;
  private final @Nullable AddressThrottling addressThrottling;
  private final io.ory4j.identity.internal.@Nullable AddressThrottle addressThrottle;
  private final Courier courier;
  private final io.ory4j.identity.spi.CodeStore codes;
  private final CodeFlowSettings verification;
  private final CodeFlowSettings recovery;
  private final Duration privilegedMaxAge;
  private final String settingsRequiredAal;
  private final io.ory4j.identity.spi.@Nullable IdentityEraser eraser;
  private final WebAuthnSettings webAuthn;
  private final WebAuthnSettings passkey;
  private final io.ory4j.identity.internal.@Nullable WebAuthnCeremonies ceremonies;

  private record Failures(int count, Instant since) {}

  /**
   * The outcome of a registration or login: the identity, its new session, and the session token. After a
   * registration without the {@code session} hook (Kratos' default) there is no session: both are null.
   */
  public record Login(Identity identity, @Nullable Session session, @Nullable String sessionToken) {}

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
    this.oidcProviders = b.oidcProviders;
    this.whoamiRequiredAal = b.whoamiRequiredAal;
    this.throttleAttempts = b.throttleAttempts;
    this.throttleWindow = b.throttleWindow;
    int permits = b.hashPermits > 0 ? b.hashPermits : defaultHashPermits(b.hasher);
    this.hashPermits = new java.util.concurrent.Semaphore(permits, true);
    this.hashWait = b.hashWait;
    this.dummyHash = hasher.hash("ory4j-dummy-password-for-timing".getBytes(StandardCharsets.UTF_8));
    this.hooks = b.hooks;
    this.webHooks = new io.ory4j.identity.internal.WebHookCaller(b.webHookClient,
        io.ory4j.core.json.OryJson.create().mapper());
    this.addressThrottling = b.addressThrottling;
    this.addressThrottle = b.addressThrottling == null ? null
        : new io.ory4j.identity.internal.AddressThrottle(b.addressThrottling, b.clock);
    this.courier = b.courier != null ? b.courier : Courier.builder().clock(b.clock).ids(b.ids).build();
    this.codes = b.codes;
    this.verification = b.verification;
    this.recovery = b.recovery;
    this.privilegedMaxAge = b.privilegedMaxAge;
    this.settingsRequiredAal = b.settingsRequiredAal;
    this.eraser = b.eraser;
    this.webAuthn = b.webAuthn;
    this.passkey = b.passkey;
    this.ceremonies = b.webAuthn.enabled() || b.passkey.enabled()
        ? new io.ory4j.identity.internal.WebAuthnCeremonies() : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The hooks after registration, login and recovery. */
  public SelfServiceHooks hooks() {
    return hooks;
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
    Identity identity = newIdentity(schemaId, traits, state, password, hashedPassword, metadataPublic,
        metadataAdmin);
    identities.create(identity);
    log.debug("created identity {}", identity.id());
    return identity;
  }

  /** Kratos' identity states: {@code active} or {@code inactive} (a 400, before anything is written). */
  private static void requireState(@Nullable String state) {
    if (state != null && !state.equals(Identity.ACTIVE) && !state.equals(Identity.INACTIVE)) {
      throw OryException.invalidField("state", "must be \"active\" or \"inactive\"");
    }
  }

  /** A new identity, validated, with its password credential, not yet stored. */
  private Identity newIdentity(@Nullable String schemaId, JsonNode traits, @Nullable String state,
      @Nullable String password, @Nullable String hashedPassword, @Nullable JsonNode metadataPublic,
      @Nullable JsonNode metadataAdmin) {
    String sid = schemaId == null || schemaId.isEmpty() ? schemas.defaultId() : schemaId;
    requireState(state);
    schemas.validate(sid, traits);
    Instant now = clock.instant();
    UUID id = ids.next();
    Map<String, Credentials> credentials = new LinkedHashMap<>();
    if (password != null || hashedPassword != null) {
      credentials.put("password", passwordCredential(sid, traits, password, hashedPassword, now, null));
    }
    return new Identity(id, sid, state == null ? Identity.ACTIVE : state, now, traits,
        verifiable(sid, traits, List.of(), now), recovery(sid, traits, List.of(), now), metadataPublic,
        metadataAdmin, credentials, now, now);
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
      hash = bounded(() -> hasher.hash(password.getBytes(StandardCharsets.UTF_8)));
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
    requireState(state);
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

  /**
   * Deletes an identity, its credentials, its sessions, its one-time codes and its courier messages: with an
   * {@link io.ory4j.identity.spi.IdentityEraser} (JDBC: {@code JdbcIdentityEraser}) in one transaction, together with
   * its flows; otherwise store by store.
   */
  public void deleteIdentity(UUID id) {
    if (eraser != null) {
      if (!eraser.erase(id)) {
        throw notFound(id);
      }
      log.debug("erased identity {}", id);
      return;
    }
    if (!identities.delete(id)) {
      throw notFound(id);
    }
    sessions.deleteAll(id);
    codes.deleteForIdentity(id);
    courier.deleteForIdentity(id);
  }

  /**
   * Everything held about an identity, as one JSON document (beyond Kratos, for GDPR access requests):
   * {@code identity} (with its credentials' types, identifiers and dates; password hashes, TOTP secrets and lookup
   * codes are left out as {@code "config": "<redacted>"}), {@code sessions} (all, active or not), {@code
   * courier_messages} (to its addresses) and {@code codes} (purpose, address, expiry and use; never the code).
   */
  public ObjectNode exportIdentity(UUID id) {
    Identity i = identities.find(id).orElseThrow(() -> notFound(id));
    io.ory4j.core.json.OryJson json = io.ory4j.core.json.OryJson.create();
    ObjectNode out = json.object();
    ObjectNode identity = (ObjectNode) json.toTree(i.withoutCredentials());
    ObjectNode creds = identity.putObject("credentials");
    if (i.credentials() != null) {
      new java.util.TreeMap<>(i.credentials()).forEach((type, c) -> {
        ObjectNode n = (ObjectNode) json.toTree(c);
        n.put("config", "<redacted>");
        creds.set(type, n);
      });
    }
    out.set("identity", identity);
    var sessionList = out.putArray("sessions");
    allPages(page -> sessions.list(id, null, page)).forEach(x -> sessionList.add(json.toTree(x)));
    var messages = out.putArray("courier_messages");
    java.util.Set<String> addresses = new java.util.TreeSet<>();
    i.verifiableAddresses().forEach(a -> addresses.add(a.value()));
    i.recoveryAddresses().forEach(a -> addresses.add(a.value()));
    for (String address : addresses) {
      allPages(page -> courier.messages(page, null, address)).forEach(m -> messages.add(json.toTree(m)));
    }
    var codeList = out.putArray("codes");
    for (io.ory4j.identity.spi.CodeStore.OneTimeCode c : codes.findForIdentity(id)) {
      ObjectNode n = codeList.addObject();
      n.put("purpose", c.purpose());
      n.put("address", c.address());
      n.put("flow_id", c.flowId().toString());
      n.put("expires_at", c.expiresAt().toString());
      if (c.usedAt() != null) {
        n.put("used_at", c.usedAt().toString());
      }
    }
    log.debug("exported identity {}", id);
    return out;
  }

  private static OryException notFound(UUID id) {
    return OryException.notFound("Unable to locate the resource").withReason("identity " + id + " does not exist");
  }

  /** At most this many identities in one batch import (Kratos' limit). */
  public static final int BATCH_LIMIT = 2000;

  /**
   * One identity of a batch import: the fields of Kratos' {@code POST /admin/identities} body (a clear-text
   * {@code password} or an imported {@code hashedPassword}, or neither).
   */
  public record IdentityCreate(@Nullable String schemaId, JsonNode traits, @Nullable String state,
      @Nullable String password, @Nullable String hashedPassword, @Nullable JsonNode metadataPublic,
      @Nullable JsonNode metadataAdmin) {
    public IdentityCreate {
      Objects.requireNonNull(traits, "traits");
    }

    /** An identity with traits only. */
    public static IdentityCreate of(JsonNode traits) {
      return new IdentityCreate(null, traits, null, null, null, null, null);
    }

    /** The same identity with an imported password hash. */
    public IdentityCreate withHashedPassword(String hash) {
      return new IdentityCreate(schemaId, traits, state, null, hash, metadataPublic, metadataAdmin);
    }
  }

  /** The outcome of one identity of a batch: its new id, or the Ory error that refused it. */
  public record BatchResult(@Nullable UUID identity, @Nullable OryError error) {
    public BatchResult {
      if ((identity == null) == (error == null)) {
        throw new IllegalArgumentException("exactly one of identity and error");
      }
    }

    /** Kratos' action: {@code create} or {@code error}. */
    public String action() {
      return error == null ? "create" : "error";
    }
  }

  /**
   * Kratos' batch import ({@code PATCH /admin/identities}): creates each identity independently, in order; one that
   * fails (invalid traits, a malformed hash, a duplicate identifier) gives an error result and does not stop the
   * others. At most {@link #BATCH_LIMIT} identities.
   *
   * @throws OryException 400 when the batch has more than {@link #BATCH_LIMIT} identities
   */
  public List<BatchResult> createIdentities(List<IdentityCreate> creates) {
    if (creates.size() > BATCH_LIMIT) {
      throw OryException.badRequest("The batch contains more than " + BATCH_LIMIT + " identities.")
          .withReason("A batch may hold at most " + BATCH_LIMIT + " identities, it held " + creates.size() + ".");
    }
    List<BatchResult> out = new ArrayList<>(creates.size());
    for (IdentityCreate c : creates) {
      try {
        Identity i = createIdentity(c.schemaId(), c.traits(), c.state(), c.password(), c.hashedPassword(),
            c.metadataPublic(), c.metadataAdmin());
        out.add(new BatchResult(i.id(), null));
      } catch (OryException e) {
        out.add(new BatchResult(null, e.error()));
      } catch (RuntimeException e) {
        log.warn("batch import of one identity failed", e);
        out.add(new BatchResult(null, OryException.internal("The identity could not be created.").error()));
      }
    }
    return out;
  }

  // ---- self-service: registration and login with a password ----

  /**
   * Registers an identity with a password, from Java (no HTTP request): see
   * {@link #registerWithPassword(String, JsonNode, String, SelfServiceRequest)}.
   */
  public Login registerWithPassword(@Nullable String schemaId, JsonNode traits, String password) {
    return registerWithPassword(schemaId, traits, password, SelfServiceRequest.none());
  }

  /**
   * Registers an identity with a password and runs the hooks after registration, as Kratos: web hooks that can
   * interrupt or parse the answer, and in-process hooks, run before the identity is stored (and may change its
   * traits, metadata and state, validated again); then the identity is stored; then, in order, {@code session}
   * signs it in and the other web hooks run. Without the {@code session} hook (Kratos' default) the result has no
   * session.
   *
   * @throws IdentityException 400 with the messages of an interrupting hook, or 4000007 for a taken identifier
   */
  public Login registerWithPassword(@Nullable String schemaId, JsonNode traits, String password,
      SelfServiceRequest request) {
    String sid = schemaId == null || schemaId.isEmpty() ? schemas.defaultId() : schemaId;
    schemas.validate(sid, traits);
    if (schemas.passwordIdentifiers(sid, traits).isEmpty()) {
      throw OryException.badRequest("The identity schema marks no trait as a password identifier "
          + "(\"ory.sh/kratos\": {\"credentials\": {\"password\": {\"identifier\": true}}}).");
    }
    Identity candidate = newIdentity(sid, traits, Identity.ACTIVE, password, null, null, null);
    return completeRegistration(candidate, "password", request);
  }

  /** Runs the hooks before storing, stores the new identity, then signs it in ({@code session}) and runs the rest. */
  private Login completeRegistration(Identity candidate, String method, SelfServiceRequest request) {
    List<SelfServiceHooks.Hook> after = hooks.registration(method);
    for (SelfServiceHooks.Hook h : after) {
      if (h instanceof SelfServiceHooks.WebHookHook w && w.config().prePersist()) {
        candidate = changedByHook(candidate, webHooks.call(w.config(), "registration", candidate.withoutCredentials(),
            null, request));
      } else if (h instanceof SelfServiceHooks.Custom c) {
        candidate = changedByHook(candidate, c.implementation().execute(new io.ory4j.identity.spi.HookContext("registration",
            candidate.withoutCredentials(), null, request)));
      }
    }
    try {
      identities.create(candidate);
    } catch (io.ory4j.core.storage.DuplicateException e) {
      throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
    }
    log.debug("registered identity {}", candidate.id());
    Login result = new Login(candidate.withoutCredentials(), null, null);
    for (SelfServiceHooks.Hook h : after) {
      if (h == SelfServiceHooks.Builtin.SESSION) {
        result = issue(candidate, method, AAL1);
      } else if (h instanceof SelfServiceHooks.WebHookHook w && !w.config().prePersist()) {
        webHooks.call(w.config(), "registration", candidate.withoutCredentials(), null, request);
      }
    }
    return result;
  }

  /**
   * The identity a pre-persist hook handed back, checked as a new identity: same id and credentials, traits valid
   * against the (possibly new) schema, password identifiers and addresses derived from the new traits.
   */
  private Identity changedByHook(Identity before, Identity after) {
    if (after == null) {
      throw OryException.internal("A registration hook returned no identity.");
    }
    if (after.traits().equals(before.traits()) && after.schemaId().equals(before.schemaId())
        && after.state().equals(before.state()) && after.metadataPublic().equals(before.metadataPublic())
        && after.metadataAdmin().equals(before.metadataAdmin())) {
      return before;
    }
    String sid = after.schemaId();
    if (schemas.schema(sid).isEmpty()) {
      throw OryException.internal("A registration hook set an unknown schema.").withReason("schema " + sid
          + " does not exist");
    }
    schemas.validate(sid, after.traits());
    Instant now = before.createdAt();
    Map<String, Credentials> creds = new LinkedHashMap<>(before.credentials() == null ? Map.of()
        : before.credentials());
    Credentials pw = creds.get("password");
    if (pw != null) {
      List<String> ids = schemas.passwordIdentifiers(sid, after.traits());
      if (ids.isEmpty()) {
        throw OryException.badRequest("The identity schema marks no trait as a password identifier.");
      }
      creds.put("password", new Credentials("password", ids, pw.config(), pw.version(), pw.createdAt(), now));
    }
    return new Identity(before.id(), sid, after.state(), before.stateChangedAt(), after.traits(),
        verifiable(sid, after.traits(), List.of(), now), recovery(sid, after.traits(), List.of(), now),
        after.metadataPublic(), after.metadataAdmin(), creds, before.createdAt(), before.updatedAt());
  }

  /**
   * Logs in with an identifier and a password. An unknown identifier and a wrong password give the same error.
   * A stored hash made with other parameters than the configured hasher's is replaced after a successful login.
   */
  public Login loginWithPassword(String identifier, String password) {
    return loginWithPassword(identifier, password, SelfServiceRequest.none());
  }

  /**
   * Logs in with an identifier and a password, then runs the hooks after login in order before the session is
   * stored ({@code require_verified_address}, {@code web_hook}, in-process hooks); {@code revoke_active_sessions}
   * revokes the identity's other sessions once the new one is stored. With {@link Builder#addressThrottling}, the
   * request's client address is refused after repeated failures (4000901), whatever the identifier.
   */
  public Login loginWithPassword(String identifier, String password, SelfServiceRequest request) {
    String address = addressThrottling == null ? "" : addressThrottling.clientAddress(request);
    if (addressThrottle != null) {
      addressThrottle.check(address);
    }
    String id = identifier.trim().toLowerCase(Locale.ROOT);
    checkThrottle(id);
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    Optional<Identity> found = identities.findByIdentifier("password", id);
    String hash = found.map(i -> i.credentials() == null ? null : i.credentials().get("password"))
        .map(c -> c.config().path("hashed_password").asText(null)).orElse(null);
    boolean ok;
    try {
      ok = bounded(() -> PasswordHashes.matches(pw, hash == null ? dummyHash : hash)) && hash != null;
    } catch (io.ory4j.identity.hash.PasswordHashException e) {
      log.warn("identity {} has an unusable password hash: {}", found.map(Identity::id).orElse(null), e.getMessage());
      ok = false;
    }
    if (!ok || !found.get().isActive()) {
      recordFailure(id);
      if (addressThrottle != null) {
        addressThrottle.failed(address);
      }
      throw new IdentityException(400, UiMessage.invalidCredentials());
    }
    failures.remove(id);
    Identity identity = rehashIfNeeded(found.get(), hash, pw);
    return afterLogin(identity, "password", hooks.login("password"), request);
  }

  /** Runs the hooks after a login, then stores the session (and revokes the others when configured). */
  private Login afterLogin(Identity identity, String method, List<SelfServiceHooks.Hook> after,
      SelfServiceRequest request) {
    Instant now = clock.instant();
    String token = newSessionToken();
    Session s = new Session(ids.next(), true, now.plus(sessionLifespan), now, now, AAL1,
        List.of(new Session.AuthenticationMethod(method, AAL1, now)), identity.id(), null);
    Identity shown = identity.withoutCredentials();
    boolean revokeOthers = runLoginHooks(identity, method.endsWith("_recovery") ? "recovery" : "login", s, after,
        request);
    sessions.create(s, tokenHash(token));
    if (revokeOthers) {
      revokeOthers(identity.id(), s.id());
    }
    return new Login(shown, s.withIdentity(shown), token);
  }

  /**
   * Runs hooks after a login (first factor, second factor or refresh) in order, before the session is stored:
   * {@code require_verified_address}, {@code web_hook}, in-process hooks; true when {@code revoke_active_sessions}
   * asks to revoke the other sessions once the session is stored.
   */
  private boolean runLoginHooks(Identity identity, String flowType, Session s, List<SelfServiceHooks.Hook> after,
      SelfServiceRequest request) {
    Identity shown = identity.withoutCredentials();
    boolean revokeOthers = false;
    for (SelfServiceHooks.Hook h : after) {
      if (h == SelfServiceHooks.Builtin.REQUIRE_VERIFIED_ADDRESS) {
        requireVerifiedAddress(identity);
      } else if (h == SelfServiceHooks.Builtin.REVOKE_ACTIVE_SESSIONS) {
        revokeOthers = true;
      } else if (h instanceof SelfServiceHooks.WebHookHook w) {
        webHooks.call(w.config(), flowType, shown, s.withIdentity(shown), request);
      } else if (h instanceof SelfServiceHooks.Custom c) {
        c.implementation().execute(new io.ory4j.identity.spi.HookContext(flowType, shown, s.withIdentity(shown),
            request));
      }
    }
    return revokeOthers;
  }

  private void revokeOthers(UUID identityId, UUID keep) {
    int n = sessions.revokeAll(identityId, keep);
    log.debug("login of identity {} revoked {} other session(s)", identityId, n);
  }

  /** Kratos' {@code require_verified_address}: at least one verified address (4000010). */
  private static void requireVerifiedAddress(Identity identity) {
    if (identity.verifiableAddresses().isEmpty()) {
      throw OryException.internal("A misconfiguration prevents login. Expected to find a verification address but "
          + "this identity does not have one assigned.");
    }
    if (identity.verifiableAddresses().stream().noneMatch(VerifiableAddress::verified)) {
      throw new IdentityException(400, UiMessage.addressNotVerified());
    }
  }

  /** Replaces a stored hash made with other parameters than the configured hasher's, after a password matched it. */
  private Identity rehashIfNeeded(Identity identity, String hash, byte[] pw) {
    if (!hasher.needsRehash(hash)) {
      return identity;
    }
    Credentials c = identity.credentials().get("password");
    Map<String, Credentials> creds = new LinkedHashMap<>(identity.credentials());
    creds.put("password", new Credentials("password", c.identifiers(), JsonNodeFactory.instance.objectNode()
        .put("hashed_password", bounded(() -> hasher.hash(pw))), c.version(), c.createdAt(), clock.instant()));
    Identity updated = identity.withCredentials(creds);
    identities.update(updated);
    log.debug("rehashed the password of identity {}", identity.id());
    return updated;
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

  private String newSessionToken() {
    return "ory_st_" + secrets.nextString(32, ALNUM);
  }

  private Login issue(Identity identity, String method, String aal) {
    Instant now = clock.instant();
    String token = newSessionToken();
    Session s = new Session(ids.next(), true, now.plus(sessionLifespan), now, now, aal,
        List.of(new Session.AuthenticationMethod(method, aal, now)), identity.id(), null);
    sessions.create(s, tokenHash(token));
    return new Login(identity.withoutCredentials(), s.withIdentity(identity.withoutCredentials()), token);
  }

  /**
   * Re-authenticates the identity of an active session with its password (Kratos' login with {@code refresh=true}):
   * on success the same session (same id, same token) gets {@code authenticated_at} = now, its expiry extended by
   * the session lifespan, and a {@code password} entry appended to its authentication methods. A wrong password is
   * the same invalid-credentials error as a login, and counts towards the throttling of the identity's identifier.
   *
   * @throws OryException 401 {@code session_inactive} when the token has no active session
   */
  public Session refreshWithPassword(String sessionToken, String password) {
    return refreshWithPassword(sessionToken, password, SelfServiceRequest.none());
  }

  /**
   * As {@link #refreshWithPassword(String, String)}, then the hooks after login of {@code password} run before the
   * refreshed session is stored, as Kratos runs them after a refresh login (an interrupting hook leaves the session
   * as it was).
   */
  public Session refreshWithPassword(String sessionToken, String password, SelfServiceRequest request) {
    Instant now = clock.instant();
    Session s = whoami(sessionToken).orElseThrow(() -> OryException.unauthorized(
        "request does not have a valid authentication session").withId("session_inactive")
        .withReason("No active session was found in this request."));
    Identity identity = identities.find(s.identityId()).filter(Identity::isActive).orElseThrow(
        () -> OryException.unauthorized("request does not have a valid authentication session")
            .withId("session_inactive"));
    Credentials c = identity.credentials() == null ? null : identity.credentials().get("password");
    String key = c == null || c.identifiers().isEmpty() ? identity.id().toString() : c.identifiers().get(0);
    checkThrottle(key);
    String hash = c == null ? null : c.config().path("hashed_password").asText(null);
    boolean ok;
    try {
      ok = bounded(() -> PasswordHashes.matches(password.getBytes(StandardCharsets.UTF_8),
          hash == null ? dummyHash : hash))
          && hash != null;
    } catch (io.ory4j.identity.hash.PasswordHashException e) {
      log.warn("identity {} has an unusable password hash: {}", identity.id(), e.getMessage());
      ok = false;
    }
    if (!ok) {
      recordFailure(key);
      throw new IdentityException(400, UiMessage.invalidCredentials());
    }
    failures.remove(key);
    identity = rehashIfNeeded(identity, hash, password.getBytes(StandardCharsets.UTF_8));
    return refreshed(s, identity, "password", now, request);
  }

  /** The session re-authenticated now by {@code method}: same id and token, new expiry and authentication time. */
  private Session refreshed(Session s, Identity identity, String method, Instant now, SelfServiceRequest request) {
    return refreshed(s, identity, method, AAL1, now, request);
  }

  /** The session re-authenticated now by {@code method} at {@code aal}, after the method's login hooks ran. */
  private Session refreshed(Session s, Identity identity, String method, String aal, Instant now,
      SelfServiceRequest request) {
    List<Session.AuthenticationMethod> methods = new ArrayList<>(s.authenticationMethods());
    methods.add(new Session.AuthenticationMethod(method, aal, now));
    Session up = new Session(s.id(), true, now.plus(sessionLifespan), now, s.issuedAt(),
        s.authenticatorAssuranceLevel(), methods, s.identityId(), null);
    boolean revoke = runLoginHooks(identity, "login", up, hooks.login(method), request);
    if (!sessions.update(up)) {
      throw OryException.unauthorized("No active session was found in this request.").withId("session_inactive");
    }
    if (revoke) {
      revokeOthers(identity.id(), s.id());
    }
    log.debug("session {} refreshed", s.id());
    return up.withIdentity(identity.withoutCredentials());
  }

  /** The password identifiers of an identity (the first one pre-fills a refresh login form). */
  public List<String> passwordIdentifiers(UUID identityId) {
    return identities.find(identityId).map(i -> i.credentials() == null ? null : i.credentials().get("password"))
        .map(Credentials::identifiers).orElse(List.of());
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

  // ---- multi-factor: TOTP, lookup secrets, AAL2 ----

  /** Kratos' credential type of TOTP. */
  public static final String TOTP = "totp";
  /** Kratos' credential type of lookup secrets (backup codes). */
  public static final String LOOKUP_SECRET = "lookup_secret";
  /** Authenticator assurance level 1 (one factor). */
  public static final String AAL1 = "aal1";
  /** Authenticator assurance level 2 (a second factor). */
  public static final String AAL2 = "aal2";
  /** Kratos' {@code highest_available}: aal2 when the identity has a second factor, aal1 otherwise. */
  public static final String HIGHEST_AVAILABLE = "highest_available";

  private static final String LOOKUP_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LOOKUP_CODES = 12;
  private static final int LOOKUP_LENGTH = 8;

  /**
   * Locks serializing the read-modify-write of one identity's second-factor credentials within this service, so two
   * concurrent requests cannot both use one lookup secret or one TOTP step. (Across processes the stores have no
   * compare-and-set yet; see docs/identity.md.)
   */
  private final Object[] mfaLocks = newLocks(64);

  private static Object[] newLocks(int n) {
    Object[] l = new Object[n];
    for (int i = 0; i < n; i++) {
      l[i] = new Object();
    }
    return l;
  }

  private Object mfaLock(UUID identityId) {
    return mfaLocks[Math.floorMod(identityId.hashCode(), mfaLocks.length)];
  }

  /**
   * A TOTP enrolment in progress: the base32 secret and the {@code otpauth://} URI to show as a QR code. Nothing is
   * stored until {@link #confirmTotp} is given a code made from it.
   */
  public record TotpEnrolment(String secret, String url) {
    public TotpEnrolment {
      Objects.requireNonNull(secret, "secret");
      Objects.requireNonNull(url, "url");
    }

    @Override
    public String toString() {
      return "TotpEnrolment[secret=<redacted>]";
    }
  }

  /**
   * Starts a TOTP enrolment: a fresh 160-bit secret and Kratos' key URI
   * ({@code otpauth://totp/<issuer>:<account>?...&issuer=<issuer>&period=30&secret=<base32>}), whose account is the
   * trait marked {@code credentials.totp.account_name} (as Kratos), else the first password identifier, else the
   * identity id. Nothing is stored yet.
   */
  public TotpEnrolment startTotpEnrolment(UUID identityId, String issuer) {
    return totpEnrolment(identityId, issuer, Totp.base32(secrets.nextBytes(20)));
  }

  /** The enrolment of a secret shown earlier (the settings flow keeps the secret between its requests). */
  public TotpEnrolment totpEnrolment(UUID identityId, String issuer, String secret) {
    Objects.requireNonNull(issuer, "issuer");
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    return new TotpEnrolment(secret, Totp.uri(issuer, accountName(i), secret));
  }

  private String accountName(Identity i) {
    Optional<String> marked = schemas.totpAccountName(i.schemaId(), i.traits());
    if (marked.isPresent()) {
      return marked.get();
    }
    Credentials pw = i.credentials() == null ? null : i.credentials().get("password");
    return pw != null && !pw.identifiers().isEmpty() ? pw.identifiers().get(0) : i.id().toString();
  }

  /**
   * Confirms a TOTP enrolment with a code from the authenticator app and stores the {@code totp} credential
   * (config {@code {"totp_url": ...}}), replacing an earlier device. A wrong code gives message 4000008.
   */
  public Identity confirmTotp(UUID identityId, String totpUrl, String code) {
    synchronized (mfaLock(identityId)) {
      return confirmTotpLocked(identityId, totpUrl, code);
    }
  }

  private Identity confirmTotpLocked(UUID identityId, String totpUrl, String code) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    byte[] key = Totp.secretOf(totpUrl).flatMap(Totp::fromBase32)
        .orElseThrow(() -> OryException.invalidField("totp_url", "is not an otpauth://totp/ URI with a secret"));
    long step = Totp.matchingStep(key, code, Totp.step(clock.instant().getEpochSecond()));
    if (step < 0) {
      throw new IdentityException(400, UiMessage.totpCodeInvalid());
    }
    Instant now = clock.instant();
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("totp_url", totpUrl).put("last_used_step", step);
    creds.put(TOTP, new Credentials(TOTP, List.of(identityId.toString()), config, 0, now, now));
    Identity updated = i.withCredentials(creds);
    identities.update(updated);
    log.debug("identity {} linked a TOTP device", identityId);
    return updated.withoutCredentials();
  }

  /** Removes the identity's TOTP device; false when it had none. */
  public boolean unlinkTotp(UUID identityId) {
    return removeCredential(identityId, TOTP);
  }

  private boolean removeCredential(UUID identityId, String type) {
    synchronized (mfaLock(identityId)) {
      return removeCredentialLocked(identityId, type);
    }
  }

  private boolean removeCredentialLocked(UUID identityId, String type) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    if (i.credentials() == null || !i.credentials().containsKey(type)) {
      return false;
    }
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
    creds.remove(type);
    identities.update(i.withCredentials(creds));
    log.debug("identity {} removed its {} credential", identityId, type);
    return true;
  }

  /**
   * Generates 12 lookup secrets (8 lowercase letters and digits each, as Kratos) and stores the
   * {@code lookup_secret} credential, invalidating earlier ones. Returns the codes: this is the only time they are
   * seen in clear, since only a salted SHA-256 of each is stored ({@code {"recovery_codes": [{"code_hash": ...,
   * "used_at": ...}]}}).
   */
  public List<String> regenerateLookupSecrets(UUID identityId) {
    synchronized (mfaLock(identityId)) {
      return regenerateLookupSecretsLocked(identityId);
    }
  }

  private List<String> regenerateLookupSecretsLocked(UUID identityId) {
    List<String> codes = newLookupSecrets();
    storeLookupSecretsLocked(identityId, codes);
    return codes;
  }

  /** 12 new lookup secrets, not stored yet (Kratos' settings flow shows them and stores them on confirmation). */
  public List<String> newLookupSecrets() {
    List<String> codes = new ArrayList<>();
    for (int n = 0; n < LOOKUP_CODES; n++) {
      codes.add(secrets.nextString(LOOKUP_LENGTH, LOOKUP_ALPHABET));
    }
    return List.copyOf(codes);
  }

  /** Stores lookup secrets made by {@link #newLookupSecrets()} (as hashes), replacing earlier ones. */
  public void storeLookupSecrets(UUID identityId, List<String> codes) {
    if (codes.size() != LOOKUP_CODES || codes.stream().anyMatch(c -> c.length() != LOOKUP_LENGTH)) {
      throw OryException.badRequest("The backup recovery codes to confirm are not the ones shown; regenerate them.");
    }
    synchronized (mfaLock(identityId)) {
      storeLookupSecretsLocked(identityId, codes);
    }
  }

  private void storeLookupSecretsLocked(UUID identityId, List<String> codes) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    Instant now = clock.instant();
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    var arr = config.putArray("recovery_codes");
    for (String code : codes) {
      arr.addObject().put("code_hash", lookupHash(identityId, code)).putNull("used_at");
    }
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    Credentials old = creds.get(LOOKUP_SECRET);
    creds.put(LOOKUP_SECRET, new Credentials(LOOKUP_SECRET, List.of(identityId.toString()), config, 0,
        old == null ? now : old.createdAt(), now));
    identities.update(i.withCredentials(creds));
    log.debug("identity {} stored new lookup secrets", identityId);
  }

  /** How many of the identity's lookup secrets are still unused. */
  public int remainingLookupSecrets(UUID identityId) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    Credentials c = i.credentials() == null ? null : i.credentials().get(LOOKUP_SECRET);
    int n = 0;
    if (c != null) {
      for (JsonNode e : c.config().path("recovery_codes")) {
        n += e.path("used_at").isMissingNode() || e.path("used_at").isNull() ? 1 : 0;
      }
    }
    return n;
  }

  /** Removes the identity's lookup secrets; false when it had none. */
  public boolean removeLookupSecrets(UUID identityId) {
    return removeCredential(identityId, LOOKUP_SECRET);
  }

  private static String lookupHash(UUID identityId, String code) {
    return tokenHash("ory4j-lookup-secret:" + identityId + ":" + code);
  }

  /**
   * True when the identity has a second factor (a TOTP device, lookup secrets, or a WebAuthn key enrolled as a second
   * factor), so its highest AAL is aal2.
   */
  private static boolean hasSecondFactor(Identity i) {
    return i.credentials() != null && (i.credentials().containsKey(TOTP) || i.credentials().containsKey(LOOKUP_SECRET)
        || !webAuthnKeys(i, WEBAUTHN, false).isEmpty());
  }

  /**
   * The second factors the identity has set up: {@code totp}, {@code lookup_secret} and {@code webauthn} (a key
   * enrolled as a second factor), in that order.
   */
  public List<String> secondFactors(UUID identityId) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    List<String> out = new ArrayList<>();
    if (i.credentials() != null && i.credentials().containsKey(TOTP)) {
      out.add(TOTP);
    }
    if (i.credentials() != null && i.credentials().containsKey(LOOKUP_SECRET)) {
      out.add(LOOKUP_SECRET);
    }
    if (!webAuthnKeys(i, WEBAUTHN, false).isEmpty()) {
      out.add(WEBAUTHN);
    }
    return List.copyOf(out);
  }

  /** {@code aal2} when the identity has a second factor, else {@code aal1} (Kratos' available AAL). */
  public String availableAal(UUID identityId) {
    return identities.find(identityId).map(i -> hasSecondFactor(i) ? AAL2 : AAL1).orElseThrow(() -> notFound(
        identityId));
  }

  /**
   * Completes the second factor on an aal1 session: checks a TOTP code ({@code method = "totp"}) or a lookup secret
   * ({@code "lookup_secret"}), then raises the session to aal2 and appends the method to its
   * {@code authentication_methods}; the session token stays the same. A TOTP code is accepted once per time step;
   * a lookup secret once.
   */
  public Session loginSecondFactor(String sessionToken, String method, String code) {
    return loginSecondFactor(sessionToken, method, code, SelfServiceRequest.none());
  }

  /**
   * As {@link #loginSecondFactor(String, String, String)}; the hooks after login of the second-factor method
   * ({@code selfservice.flows.login.after.totp.hooks}, else the general ones) run before the raised session is
   * stored, as Kratos runs them after an aal2 login (an interrupting hook leaves the session at aal1).
   */
  public Session loginSecondFactor(String sessionToken, String method, String code, SelfServiceRequest request) {
    return loginSecondFactor(sessionToken, method, code, request, false);
  }

  /**
   * As {@link #loginSecondFactor(String, String, String, SelfServiceRequest)}; with {@code refresh} (Kratos'
   * {@code aal=aal2&refresh=true}) an aal2 session may re-authenticate its second factor too: the session (same id and
   * token) gets {@code authenticated_at} = now, its expiry extended by the session lifespan, and the method appended
   * to its authentication methods.
   */
  public Session loginSecondFactor(String sessionToken, String method, String code, SelfServiceRequest request,
      boolean refresh) {
    String m = method == null ? "" : method;
    String c = code == null ? "" : code.trim();
    return raiseToAal2(sessionToken, m, request, refresh, (i, now) -> switch (m) {
      case TOTP -> checkTotp(i, c, now);
      case LOOKUP_SECRET -> useLookupSecret(i, c, now);
      default -> throw OryException.invalidField("method", "must be totp or lookup_secret");
    });
  }

  /** Checks the second factor of an aal1 session under the identity's lock, then raises the session to aal2. */
  private Session raiseToAal2(String sessionToken, String method, SelfServiceRequest request, boolean refresh,
      java.util.function.BiFunction<Identity, Instant, Identity> check) {
    Instant now = clock.instant();
    Session s = sessionToken == null || sessionToken.isEmpty() ? null
        : sessions.findByTokenHash(tokenHash(sessionToken)).filter(x -> x.isActiveAt(now)).orElse(null);
    if (s == null) {
      throw aal1Required();
    }
    synchronized (mfaLock(s.identityId())) {
      return loginSecondFactorLocked(s, method, check, now, request, refresh);
    }
  }

  private static OryException aal1Required() {
    return OryException.unauthorized("aal2 and aal3 can only be requested if a session exists already")
        .withId("session_aal1_required")
        .withReason("You can not requested a higher AAL (AAL2/AAL3) without an active session.");
  }

  private Session loginSecondFactorLocked(Session found, String m,
      java.util.function.BiFunction<Identity, Instant, Identity> check, Instant now, SelfServiceRequest request,
      boolean refresh) {
    // read again under the lock: a concurrent call may have raised or revoked it meanwhile
    Session s = sessions.find(found.id()).filter(x -> x.isActiveAt(now)).orElseThrow(IdentityService::aal1Required);
    Identity i = identities.find(s.identityId()).filter(Identity::isActive).orElseThrow(
        IdentityService::aal1Required);
    if (!refresh && AAL2.equals(s.authenticatorAssuranceLevel())) {
      throw OryException.badRequest("session has the requested authenticator assurance level already")
          .withId("session_aal_already_fulfilled").withReason("The session has the requested AAL already.");
    }
    Identity updated = check.apply(i, now);
    identities.update(updated);
    List<Session.AuthenticationMethod> methods = new ArrayList<>(s.authenticationMethods());
    methods.add(new Session.AuthenticationMethod(m, AAL2, now));
    Session up = refresh
        ? new Session(s.id(), s.active(), now.plus(sessionLifespan), now, s.issuedAt(), AAL2, methods, s.identityId(),
            null)
        : new Session(s.id(), s.active(), s.expiresAt(), s.authenticatedAt(), s.issuedAt(), AAL2, methods,
            s.identityId(), null);
    boolean revoke = runLoginHooks(updated, "login", up, hooks.login(m), request);
    if (!sessions.update(up)) {
      throw OryException.unauthorized("No active session was found in this request.").withId("session_inactive");
    }
    if (revoke) {
      revokeOthers(s.identityId(), s.id());
    }
    log.debug("session {} raised to aal2 with {}", s.id(), m);
    return up.withIdentity(i.withoutCredentials());
  }

  private Identity checkTotp(Identity i, String code, Instant now) {
    Credentials c = i.credentials() == null ? null : i.credentials().get(TOTP);
    if (c == null) {
      throw new IdentityException(400, UiMessage.noTotpDevice());
    }
    byte[] key = Totp.secretOf(c.config().path("totp_url").asText("")).flatMap(Totp::fromBase32).orElse(null);
    if (key == null) {
      log.warn("identity {} has an unusable totp credential", i.id());
      throw new IdentityException(400, UiMessage.totpCodeInvalid());
    }
    long step = Totp.matchingStep(key, code, Totp.step(now.getEpochSecond()));
    long last = c.config().path("last_used_step").asLong(Long.MIN_VALUE);
    if (step < 0 || step <= last) {
      throw new IdentityException(400, UiMessage.totpCodeInvalid());
    }
    ObjectNode config = ((ObjectNode) c.config().deepCopy()).put("last_used_step", step);
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
    creds.put(TOTP, new Credentials(TOTP, c.identifiers(), config, c.version(), c.createdAt(), now));
    return i.withCredentials(creds);
  }

  private Identity useLookupSecret(Identity i, String code, Instant now) {
    Credentials c = i.credentials() == null ? null : i.credentials().get(LOOKUP_SECRET);
    if (c == null || !c.config().path("recovery_codes").isArray()) {
      throw new IdentityException(400, UiMessage.noLookupSecrets());
    }
    ObjectNode config = (ObjectNode) c.config().deepCopy();
    byte[] hash = lookupHash(i.id(), code).getBytes(StandardCharsets.US_ASCII);
    byte[] clear = code.getBytes(StandardCharsets.UTF_8);
    ObjectNode match = null;
    for (JsonNode e : config.path("recovery_codes")) {
      // code_hash: ours; code: Kratos' clear-text form, accepted for imported identities
      boolean eq = e.has("code_hash")
          ? MessageDigest.isEqual(hash, e.path("code_hash").asText("").getBytes(StandardCharsets.US_ASCII))
          : MessageDigest.isEqual(clear, e.path("code").asText("").getBytes(StandardCharsets.UTF_8));
      if (eq && match == null && e instanceof ObjectNode o) {
        match = o;
      }
    }
    if (match == null || code.isEmpty()) {
      throw new IdentityException(400, UiMessage.lookupSecretInvalid());
    }
    if (!match.path("used_at").isMissingNode() && !match.path("used_at").isNull()) {
      throw new IdentityException(400, UiMessage.lookupSecretAlreadyUsed());
    }
    match.put("used_at", now.toString());
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
    creds.put(LOOKUP_SECRET, new Credentials(LOOKUP_SECRET, c.identifiers(), config, c.version(), c.createdAt(),
        now));
    return i.withCredentials(creds);
  }

  /**
   * Kratos' whoami with a required AAL: {@code aal1} accepts any session; {@code aal2} refuses an aal1 session;
   * {@code highest_available} (Kratos' default for {@code session.whoami.required_aal}) refuses an aal1 session of
   * an identity that has a second factor. A refusal is Kratos' 403 {@code session_aal2_required}.
   */
  public Optional<Session> whoami(String sessionToken, String requiredAal) {
    if (!AAL1.equals(requiredAal) && !AAL2.equals(requiredAal) && !HIGHEST_AVAILABLE.equals(requiredAal)) {
      throw OryException.invalidField("required_aal", "must be aal1, aal2 or highest_available");
    }
    Optional<Session> s = whoami(sessionToken);
    if (s.isEmpty() || AAL1.equals(requiredAal) || AAL2.equals(s.get().authenticatorAssuranceLevel())) {
      return s;
    }
    if (AAL2.equals(requiredAal) || identities.find(s.get().identityId()).map(IdentityService::hasSecondFactor)
        .orElse(false)) {
      throw aal2Required();
    }
    return s;
  }

  /** The configured {@code session.whoami.required_aal} ({@code highest_available} unless set). */
  public String whoamiRequiredAal() {
    return whoamiRequiredAal;
  }

  /** Kratos' 403 {@code session_aal2_required}. */
  public static OryException aal2Required() {
    return OryException.forbidden("Session does not fulfill the requested Authenticator Assurance Level")
        .withId("session_aal2_required")
        .withReason("An active session was found but it does not fulfill the requested Authenticator Assurance "
            + "Level. Please verify yourself with a second factor to resolve this issue.");
  }

  // ---- WebAuthn and passkeys (Kratos' webauthn and passkey methods) ----

  /** Kratos' credential type of WebAuthn security keys ({@code selfservice.methods.webauthn}). */
  public static final String WEBAUTHN = "webauthn";
  /** Kratos' credential type of passkeys ({@code selfservice.methods.passkey}). */
  public static final String PASSKEY = "passkey";

  private static final String USER_HANDLE_ALPHABET = ALNUM;

  /** {@code selfservice.methods.webauthn}. */
  public WebAuthnSettings webAuthn() {
    return webAuthn;
  }

  /** {@code selfservice.methods.passkey}. */
  public WebAuthnSettings passkey() {
    return passkey;
  }

  /**
   * One WebAuthn key of an identity, as its settings form lists it.
   *
   * @param id the credential id in lowercase hex (the value of Kratos' {@code webauthn_remove} /
   *     {@code passkey_remove})
   * @param removable false when it is a first factor and the identity has no other way to sign in
   */
  public record WebAuthnKey(String id, String displayName, @Nullable Instant addedAt, boolean passwordless,
      boolean removable) {}

  private WebAuthnSettings rp(String type) {
    WebAuthnSettings s = switch (type) {
      case WEBAUTHN -> webAuthn;
      case PASSKEY -> passkey;
      default -> throw OryException.invalidField("method", "must be webauthn or passkey");
    };
    if (!s.enabled() || ceremonies == null) {
      throw OryException.badRequest("Could not find a strategy to handle the request: method \"" + type
          + "\" is not enabled.");
    }
    return s;
  }

  private io.ory4j.identity.internal.WebAuthnCeremonies ceremonies() {
    return Objects.requireNonNull(ceremonies, "webauthn or passkey is not enabled");
  }

  /** The stored keys of one type; {@code passwordless} null for all, else only first-factor or second-factor keys. */
  private static List<io.ory4j.identity.internal.WebAuthnCredentials.Key> webAuthnKeys(Identity i, String type,
      @Nullable Boolean passwordless) {
    Credentials c = i.credentials() == null ? null : i.credentials().get(type);
    if (c == null) {
      return List.of();
    }
    return io.ory4j.identity.internal.WebAuthnCredentials.read(c.config()).keys().stream()
        .filter(k -> passwordless == null || type.equals(PASSKEY) || k.passwordless() == passwordless).toList();
  }

  /**
   * How many ways the identity has to sign in without another factor (Kratos' {@code
   * CountActiveFirstFactorCredentials}): a password, each passkey, each passwordless webauthn key.
   */
  private static int firstFactors(Identity i) {
    Credentials pw = i.credentials() == null ? null : i.credentials().get("password");
    int n = pw != null && !pw.config().path("hashed_password").asText("").isEmpty() ? 1 : 0;
    return n + webAuthnKeys(i, PASSKEY, null).size() + webAuthnKeys(i, WEBAUTHN, true).size();
  }

  /** The identity's keys of {@code type} ({@code webauthn} or {@code passkey}), for its settings form. */
  public List<WebAuthnKey> webAuthnKeys(UUID identityId, String type) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    int firstFactors = firstFactors(i);
    return webAuthnKeys(i, type, null).stream().map(k -> new WebAuthnKey(k.hexId(), k.displayName(), k.addedAt(),
        type.equals(PASSKEY) || k.passwordless(), !(type.equals(PASSKEY) || k.passwordless()) || firstFactors >= 2))
        .toList();
  }

  /**
   * The {@code navigator.credentials.create} options to add a key of {@code type} to the identity (Kratos' settings
   * flow): its user handle (the identity id for {@code webauthn}, as Kratos; the passkey user handle, or a new one of
   * 64 letters and digits, for {@code passkey}), the keys it has excluded.
   */
  public ObjectNode webAuthnRegistrationOptions(UUID identityId, String type, byte[] challenge) {
    WebAuthnSettings rp = rp(type);
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    byte[] handle = userHandle(i, type);
    String name = userName(i);
    return ceremonies().creationOptions(rp, challenge, handle, name, name, type.equals(PASSKEY),
        webAuthnKeys(i, type, null).stream().map(io.ory4j.identity.internal.WebAuthnCredentials.Key::id).toList());
  }

  private byte[] userHandle(Identity i, String type) {
    if (type.equals(WEBAUTHN)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
      b.putLong(i.id().getMostSignificantBits()).putLong(i.id().getLeastSignificantBits());
      return b.array();
    }
    Credentials c = i.credentials() == null ? null : i.credentials().get(PASSKEY);
    byte[] stored = c == null ? new byte[0]
        : io.ory4j.identity.internal.WebAuthnCredentials.read(c.config()).userHandle();
    return stored.length > 0 ? stored : newPasskeyUserHandle().getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code navigator.credentials.create} options of a passkey registration (no identity yet). */
  public ObjectNode passkeyRegistrationOptions(String userHandle, String userName, byte[] challenge) {
    WebAuthnSettings rp = rp(PASSKEY);
    return ceremonies().creationOptions(rp, challenge, userHandle.getBytes(StandardCharsets.UTF_8), userName,
        userName, true, List.of());
  }

  /** A new passkey user handle, as Kratos: 64 letters and digits (the passkey credential's identifier). */
  public String newPasskeyUserHandle() {
    return secrets.nextString(64, USER_HANDLE_ALPHABET);
  }

  private String userName(Identity i) {
    return schemas.passkeyDisplayName(i.schemaId(), i.traits()).or(() -> schemas.webAuthnIdentifiers(i.schemaId(),
        i.traits()).stream().findFirst()).orElseGet(() -> accountName(i));
  }

  /** The name a new identity's passkey is shown under (registration, before the identity exists). */
  public String passkeyUserName(@Nullable String schemaId, JsonNode traits) {
    String sid = schemaId == null || schemaId.isEmpty() ? schemas.defaultId() : schemaId;
    return schemas.passkeyDisplayName(sid, traits).or(() -> schemas.webAuthnIdentifiers(sid, traits).stream()
        .findFirst()).or(() -> schemas.passwordIdentifiers(sid, traits).stream().findFirst()).orElse("");
  }

  /**
   * Kratos' settings {@code webauthn_register} / {@code passkey_register}: verifies the registration against the
   * challenge the flow issued and adds the key to the identity. A {@code webauthn} key is a second factor unless
   * {@code passwordless} is on; a passkey is a first factor (resident key, user verified). Needs a privileged session
   * ({@link #refreshRequired()}); the session gets the method among its authentication methods, and an aal2 webauthn
   * key raises it to aal2, as Kratos.
   *
   * @return the session after the change
   */
  public Session addWebAuthnKey(Session session, String type, byte[] challenge, String registration,
      String displayName) {
    return addWebAuthnKey(session, type, challenge, registration, displayName, null);
  }

  /**
   * As {@link #addWebAuthnKey(Session, String, byte[], String, String)}, with the user handle the creation options
   * offered (a first passkey's new handle, which the flow kept); an identity's stored handle wins.
   */
  public Session addWebAuthnKey(Session session, String type, byte[] challenge, String registration,
      String displayName, byte @Nullable [] offeredUserHandle) {
    WebAuthnSettings rp = rp(type);
    requirePrivileged(session);
    boolean passwordless = type.equals(PASSKEY) || rp.passwordless();
    io.ory4j.identity.internal.WebAuthnCeremonies.Registered reg;
    try {
      reg = ceremonies().verifyRegistration(rp, challenge, registration, type.equals(PASSKEY));
    } catch (io.ory4j.identity.internal.WebAuthnCeremonies.CeremonyException e) {
      log.warn("identity {} sent a {} registration that did not verify: {}", session.identityId(), type,
          e.getMessage());
      throw new IdentityException(400, List.of(UiMessage.webAuthnRefused(e.getMessage())), e);
    }
    Instant now = clock.instant();
    synchronized (mfaLock(session.identityId())) {
      Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
          () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
      byte[] handle = userHandle(i, type);
      Credentials existing = i.credentials() == null ? null : i.credentials().get(type);
      if (existing == null && offeredUserHandle != null && offeredUserHandle.length > 0 && type.equals(PASSKEY)) {
        handle = offeredUserHandle;
      }
      Identity updated = withNewKey(i, type, reg, displayName, passwordless, handle, now);
      try {
        identities.update(updated);
      } catch (io.ory4j.core.storage.DuplicateException e) {
        throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
      }
    }
    log.debug("identity {} added a {} key", session.identityId(), type);
    String aal = passwordless ? AAL1 : AAL2;
    List<Session.AuthenticationMethod> methods = new ArrayList<>(session.authenticationMethods());
    methods.add(new Session.AuthenticationMethod(type, aal, now));
    Session up = new Session(session.id(), session.active(), session.expiresAt(), session.authenticatedAt(),
        session.issuedAt(), AAL2.equals(aal) ? AAL2 : session.authenticatorAssuranceLevel(), methods,
        session.identityId(), null);
    sessions.update(up);
    return up;
  }

  private Identity withNewKey(Identity i, String type, io.ory4j.identity.internal.WebAuthnCeremonies.Registered reg,
      String displayName, boolean passwordless, byte[] userHandle, Instant now) {
    Credentials old = i.credentials() == null ? null : i.credentials().get(type);
    var config = io.ory4j.identity.internal.WebAuthnCredentials.read(old == null ? null : old.config());
    if (config.keys().stream().anyMatch(k -> MessageDigest.isEqual(k.id(), reg.credentialId()))) {
      throw new IdentityException(400, UiMessage.webAuthnRefused("This security key is registered already."));
    }
    List<io.ory4j.identity.internal.WebAuthnCredentials.Key> keys = new ArrayList<>(config.keys());
    keys.add(new io.ory4j.identity.internal.WebAuthnCredentials.Key(reg.credentialId(), reg.publicKey(),
        reg.attestationType(), reg.aaguid(), reg.signCount(), false, displayName == null ? "" : displayName.trim(),
        now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), passwordless));
    ObjectNode json = io.ory4j.identity.internal.WebAuthnCredentials.write(
        new io.ory4j.identity.internal.WebAuthnCredentials.Config(keys, userHandle));
    List<String> identifiers = type.equals(PASSKEY) ? List.of(new String(userHandle, StandardCharsets.UTF_8))
        : webAuthnIdentifiers(i);
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    creds.put(type, new Credentials(type, identifiers, json, 1, old == null ? now : old.createdAt(), now));
    return i.withCredentials(creds);
  }

  /** The traits marked as webauthn identifiers, else the password identifiers (so passwordless login finds it). */
  private List<String> webAuthnIdentifiers(Identity i) {
    List<String> marked = schemas.webAuthnIdentifiers(i.schemaId(), i.traits());
    return marked.isEmpty() ? schemas.passwordIdentifiers(i.schemaId(), i.traits()) : marked;
  }

  /**
   * Kratos' settings {@code webauthn_remove} / {@code passkey_remove}: removes the key with that hex id. Removing a
   * first-factor key that is the identity's last way to sign in is refused as Kratos (4000001 on the remove node).
   * Needs a privileged session.
   */
  public Identity removeWebAuthnKey(Session session, String type, String hexId) {
    rp(type);
    requirePrivileged(session);
    String node = type + "_remove";
    synchronized (mfaLock(session.identityId())) {
      Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
          () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
      Credentials c = i.credentials() == null ? null : i.credentials().get(type);
      if (c == null) {
        throw OryException.badRequest("You tried to remove a WebAuthn but you have no WebAuthn set up.");
      }
      var config = io.ory4j.identity.internal.WebAuthnCredentials.read(c.config());
      var gone = config.keys().stream().filter(k -> k.hexId().equalsIgnoreCase(hexId == null ? "" : hexId.trim()))
          .findFirst().orElseThrow(() -> OryException.badRequest(
              "You tried to remove a WebAuthn credential which does not exist."));
      if ((type.equals(PASSKEY) || gone.passwordless()) && firstFactors(i) < 2) {
        throw new IdentityException(400, List.of(), Map.of(node, List.of(UiMessage.notEnoughCredentials())), null);
      }
      List<io.ory4j.identity.internal.WebAuthnCredentials.Key> keys = new ArrayList<>(config.keys());
      keys.remove(gone);
      Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
      Instant now = clock.instant();
      if (keys.isEmpty()) {
        creds.remove(type);
      } else {
        creds.put(type, new Credentials(type, c.identifiers(), io.ory4j.identity.internal.WebAuthnCredentials.write(
            new io.ory4j.identity.internal.WebAuthnCredentials.Config(keys, config.userHandle())), c.version(),
            c.createdAt(), now));
      }
      Identity updated = i.withCredentials(creds);
      identities.update(updated);
      log.debug("identity {} removed a {} key", i.id(), type);
      return updated.withoutCredentials();
    }
  }

  /**
   * Kratos' admin {@code DELETE /admin/identities/{id}/credentials/webauthn}: removes the identity's second-factor
   * webauthn keys (its passwordless keys stay, as Kratos); false when it had none.
   */
  public boolean removeSecondFactorWebAuthnKeys(UUID identityId) {
    synchronized (mfaLock(identityId)) {
      Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
      Credentials c = i.credentials() == null ? null : i.credentials().get(WEBAUTHN);
      var config = io.ory4j.identity.internal.WebAuthnCredentials.read(c == null ? null : c.config());
      List<io.ory4j.identity.internal.WebAuthnCredentials.Key> kept = config.keys().stream()
          .filter(io.ory4j.identity.internal.WebAuthnCredentials.Key::passwordless).toList();
      if (c == null || kept.size() == config.keys().size()) {
        return false;
      }
      Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
      if (kept.isEmpty()) {
        creds.remove(WEBAUTHN);
      } else {
        creds.put(WEBAUTHN, new Credentials(WEBAUTHN, c.identifiers(), io.ory4j.identity.internal.WebAuthnCredentials
            .write(new io.ory4j.identity.internal.WebAuthnCredentials.Config(kept, config.userHandle())), c.version(),
            c.createdAt(), clock.instant()));
      }
      identities.update(i.withCredentials(creds));
      log.debug("identity {}: an admin removed its second-factor webauthn keys", identityId);
      return true;
    }
  }

  /**
   * The {@code navigator.credentials.get} options for the identity's keys: its second-factor webauthn keys
   * ({@code passwordless = false}, aal2) or its passwordless ones. Unknown identities and identities without such keys
   * are 4000015, the same for both.
   */
  public ObjectNode webAuthnLoginOptions(UUID identityId, boolean passwordless, byte[] challenge) {
    WebAuthnSettings rp = rp(WEBAUTHN);
    Identity i = identities.find(identityId).orElseThrow(() -> new IdentityException(400,
        UiMessage.noWebAuthnUser()));
    List<byte[]> allow = webAuthnKeys(i, WEBAUTHN, passwordless).stream()
        .map(io.ory4j.identity.internal.WebAuthnCredentials.Key::id).toList();
    if (allow.isEmpty()) {
      throw new IdentityException(400, passwordless ? UiMessage.noWebAuthnUser() : UiMessage.noWebAuthnDevice());
    }
    return ceremonies().requestOptions(rp, challenge, allow, false);
  }

  /** The identity a passwordless webauthn login names ({@code identifier}), when it has a passwordless key. */
  public Optional<UUID> webAuthnIdentity(String identifier) {
    return identities.findByIdentifier(WEBAUTHN, identifier.trim().toLowerCase(Locale.ROOT))
        .filter(i -> !webAuthnKeys(i, WEBAUTHN, true).isEmpty()).map(Identity::id);
  }

  /** The {@code navigator.credentials.get} options of a passkey login: no allow list (discoverable), UV required. */
  public ObjectNode passkeyLoginOptions(byte[] challenge) {
    WebAuthnSettings rp = rp(PASSKEY);
    return ceremonies().requestOptions(rp, challenge, List.of(), true);
  }

  /**
   * The second factor with a webauthn key: verifies the assertion against the flow's challenge and one of the
   * identity's second-factor keys, then raises the aal1 session to aal2 (method {@code webauthn}).
   */
  public Session loginSecondFactorWithWebAuthn(String sessionToken, byte[] challenge, String assertion) {
    return loginSecondFactorWithWebAuthn(sessionToken, challenge, assertion, SelfServiceRequest.none());
  }

  /** As {@link #loginSecondFactorWithWebAuthn(String, byte[], String)}, running the hooks after login of webauthn. */
  public Session loginSecondFactorWithWebAuthn(String sessionToken, byte[] challenge, String assertion,
      SelfServiceRequest request) {
    return loginSecondFactorWithWebAuthn(sessionToken, challenge, assertion, request, false);
  }

  /** As the method above; with {@code refresh} an aal2 session re-authenticates its security key (Kratos). */
  public Session loginSecondFactorWithWebAuthn(String sessionToken, byte[] challenge, String assertion,
      SelfServiceRequest request, boolean refresh) {
    WebAuthnSettings rp = rp(WEBAUTHN);
    var parsed = parseAssertion(assertion);
    return raiseToAal2(sessionToken, WEBAUTHN, request, refresh, (i, now) -> {
      if (webAuthnKeys(i, WEBAUTHN, false).isEmpty()) {
        throw new IdentityException(400, UiMessage.noWebAuthnDevice());
      }
      return verifiedAssertion(i, WEBAUTHN, false, rp, challenge, parsed, false);
    });
  }

  /**
   * Kratos' passwordless webauthn login (first factor, aal1): the identity named by {@code identifier} signs with
   * one of its passwordless keys; then the hooks after login run as for a password.
   */
  public Login loginWithWebAuthn(String identifier, byte[] challenge, String assertion, SelfServiceRequest request) {
    WebAuthnSettings rp = rp(WEBAUTHN);
    if (!rp.passwordless()) {
      throw OryException.badRequest("Could not find a strategy to handle the request: passwordless webauthn is not "
          + "enabled.");
    }
    var parsed = parseAssertion(assertion);
    Identity i = webAuthnIdentity(identifier).flatMap(identities::find).filter(Identity::isActive)
        .orElseThrow(() -> new IdentityException(400, UiMessage.noWebAuthnUser()));
    return firstFactorLogin(WEBAUTHN, i, WEBAUTHN, true, rp, challenge, parsed, false, request);
  }

  /**
   * Kratos' passkey login (first factor, aal1, discoverable): the authenticator's user handle names the identity (a
   * {@code passkey} credential's identifier, or, as Kratos' migration path, the identity id of a passwordless
   * {@code webauthn} key); the assertion must verify with one of its keys and the user must be verified.
   */
  public Login loginWithPasskey(byte[] challenge, String assertion, SelfServiceRequest request) {
    WebAuthnSettings rp = rp(PASSKEY);
    var parsed = parseAssertion(assertion);
    PasskeyUser u = passkeyUser(parsed);
    return firstFactorLogin(PASSKEY, u.identity(), u.type(), true, rp, challenge, parsed, true, request);
  }

  /** The identity a passkey assertion's user handle names, and the credential type its key is kept under. */
  private record PasskeyUser(Identity identity, String type) {}

  private PasskeyUser passkeyUser(io.ory4j.identity.internal.WebAuthnCeremonies.Assertion parsed) {
    byte[] handle = parsed.userHandle();
    if (handle == null || handle.length == 0) {
      throw new IdentityException(400, UiMessage.noWebAuthnUser());
    }
    Optional<Identity> found = identities.findByIdentifier(PASSKEY, new String(handle, StandardCharsets.UTF_8));
    String type = PASSKEY;
    if (found.isEmpty() && handle.length == 16) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(handle);
      found = identities.find(new UUID(b.getLong(), b.getLong())).filter(x -> !webAuthnKeys(x, WEBAUTHN, true)
          .isEmpty());
      type = WEBAUTHN;
    }
    return new PasskeyUser(found.filter(Identity::isActive).orElseThrow(() -> new IdentityException(400,
        UiMessage.noWebAuthnUser())), type);
  }

  /**
   * The security-key methods a refresh login ({@code refresh=true}) offers this identity, as Kratos: {@code webauthn}
   * when passwordless webauthn is on and it has a passwordless key, {@code passkey} when passkeys are on and it has
   * one.
   */
  public List<String> refreshWebAuthnMethods(UUID identityId) {
    Identity i = identities.find(identityId).orElse(null);
    List<String> out = new ArrayList<>();
    if (i != null && ceremonies != null && webAuthn.enabled() && webAuthn.passwordless()
        && !webAuthnKeys(i, WEBAUTHN, true).isEmpty()) {
      out.add(WEBAUTHN);
    }
    if (i != null && ceremonies != null && passkey.enabled() && !webAuthnKeys(i, PASSKEY, null).isEmpty()) {
      out.add(PASSKEY);
    }
    return out;
  }

  /**
   * Re-authenticates the identity of an active session with a security key (Kratos' refresh login with
   * {@code webauthn} or {@code passkey}): the assertion must verify with one of the session identity's passwordless
   * keys (a passkey's user handle must name that identity, and the user must be verified); then, as
   * {@link #refreshWithPassword(String, String, SelfServiceRequest)}, the login hooks of the method run and the same
   * session gets {@code authenticated_at} = now and its expiry extended.
   *
   * @throws OryException 401 {@code session_inactive} when the token has no active session
   * @throws IdentityException 4000015 when the key is not the session identity's, or the reason it was refused
   */
  public Session refreshWithWebAuthn(String sessionToken, String method, byte[] challenge, String assertion,
      SelfServiceRequest request) {
    Instant now = clock.instant();
    Session s = whoami(sessionToken).orElseThrow(() -> OryException.unauthorized(
        "request does not have a valid authentication session").withId("session_inactive")
        .withReason("No active session was found in this request."));
    WebAuthnSettings rp = rp(method);
    if (method.equals(WEBAUTHN) && !rp.passwordless()) {
      throw OryException.badRequest("Could not find a strategy to handle the request: passwordless webauthn is not "
          + "enabled.");
    }
    var parsed = parseAssertion(assertion);
    String type = WEBAUTHN;
    if (method.equals(PASSKEY)) {
      PasskeyUser u = passkeyUser(parsed);
      if (!u.identity().id().equals(s.identityId())) {
        log.warn("refresh of session {} refused: the passkey belongs to another identity", s.id());
        throw new IdentityException(400, UiMessage.noWebAuthnUser());
      }
      type = u.type();
    }
    Identity updated;
    synchronized (mfaLock(s.identityId())) {
      Identity i = identities.find(s.identityId()).filter(Identity::isActive).orElseThrow(() -> OryException
          .unauthorized("No active session was found in this request.").withId("session_inactive"));
      updated = verifiedAssertion(i, type, true, rp, challenge, parsed, method.equals(PASSKEY));
      identities.update(updated);
    }
    return refreshed(s, updated, method, now, request);
  }

  private Login firstFactorLogin(String method, Identity found, String type, boolean passwordless, WebAuthnSettings rp,
      byte[] challenge, io.ory4j.identity.internal.WebAuthnCeremonies.Assertion parsed, boolean uv,
      SelfServiceRequest request) {
    Identity updated;
    synchronized (mfaLock(found.id())) {
      Identity i = identities.find(found.id()).orElseThrow(() -> new IdentityException(400,
          UiMessage.noWebAuthnUser()));
      updated = verifiedAssertion(i, type, passwordless, rp, challenge, parsed, uv);
      identities.update(updated);
    }
    return afterLogin(updated, method, hooks.login(method), request);
  }

  private io.ory4j.identity.internal.WebAuthnCeremonies.Assertion parseAssertion(String assertion) {
    try {
      return ceremonies().parseAssertion(assertion);
    } catch (io.ory4j.identity.internal.WebAuthnCeremonies.CeremonyException e) {
      throw new IdentityException(400, List.of(UiMessage.webAuthnRefused(e.getMessage())), e);
    }
  }

  /**
   * Verifies the assertion with the identity's key of that id (among its first- or second-factor keys), and returns
   * the identity with the key's counter updated, or its {@code clone_warning} set when the counter did not grow
   * (logged, the login goes on, as Kratos).
   */
  private Identity verifiedAssertion(Identity i, String type, boolean passwordless, WebAuthnSettings rp,
      byte[] challenge, io.ory4j.identity.internal.WebAuthnCeremonies.Assertion a, boolean uv) {
    Credentials c = i.credentials().get(type);
    var config = io.ory4j.identity.internal.WebAuthnCredentials.read(c == null ? null : c.config());
    var key = config.keys().stream().filter(k -> (type.equals(PASSKEY) || k.passwordless() == passwordless)
        && MessageDigest.isEqual(k.id(), a.credentialId())).findFirst().orElse(null);
    if (key == null) {
      log.warn("identity {} sent a {} assertion of a credential it does not have", i.id(), type);
      throw new IdentityException(400, UiMessage.webAuthnRefused("The WebAuthn assertion was refused: the credential "
          + "is not one of this account's."));
    }
    io.ory4j.identity.internal.WebAuthnCeremonies.Asserted ok;
    try {
      ok = ceremonies().verifyAssertion(rp, challenge, a, new io.ory4j.identity.internal.WebAuthnCeremonies.StoredKey(
          key.id(), key.publicKey(), key.aaguid(), key.signCount()), uv);
    } catch (io.ory4j.identity.internal.WebAuthnCeremonies.CeremonyException e) {
      log.warn("identity {} sent a {} assertion that did not verify: {}", i.id(), type, e.getMessage());
      throw new IdentityException(400, List.of(UiMessage.webAuthnRefused(e.getMessage())), e);
    }
    var after = key.afterLogin(ok.signCount());
    if (after.cloneWarning() && !key.cloneWarning()) {
      log.warn("identity {}: the signature counter of {} key {} did not increase ({} after {}); clone_warning set",
          i.id(), type, key.hexId(), ok.signCount(), key.signCount());
    }
    List<io.ory4j.identity.internal.WebAuthnCredentials.Key> keys = new ArrayList<>(config.keys());
    keys.set(keys.indexOf(key), after);
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials());
    creds.put(type, new Credentials(type, c.identifiers(), io.ory4j.identity.internal.WebAuthnCredentials.write(
        new io.ory4j.identity.internal.WebAuthnCredentials.Config(keys, config.userHandle())), c.version(),
        c.createdAt(), clock.instant()));
    return i.withCredentials(creds);
  }

  /**
   * Kratos' passkey registration: a new identity with {@code traits} and one passkey (no password), the
   * registration verified against the flow's challenge and the user handle the flow offered; then the hooks after
   * registration run as for a password.
   */
  public Login registerWithPasskey(@Nullable String schemaId, JsonNode traits, String userHandle, byte[] challenge,
      String registration, SelfServiceRequest request) {
    WebAuthnSettings rp = rp(PASSKEY);
    String sid = schemaId == null || schemaId.isEmpty() ? schemas.defaultId() : schemaId;
    schemas.validate(sid, traits);
    io.ory4j.identity.internal.WebAuthnCeremonies.Registered reg;
    try {
      reg = ceremonies().verifyRegistration(rp, challenge, registration, true);
    } catch (io.ory4j.identity.internal.WebAuthnCeremonies.CeremonyException e) {
      log.warn("a passkey registration did not verify: {}", e.getMessage());
      throw new IdentityException(400, List.of(UiMessage.webAuthnRefused(e.getMessage())), e);
    }
    Identity bare = newIdentity(sid, traits, Identity.ACTIVE, null, null, null, null);
    Identity candidate = withNewKey(bare, PASSKEY, reg, "", true, userHandle.getBytes(StandardCharsets.UTF_8),
        bare.createdAt());
    return completeRegistration(candidate, PASSKEY, request);
  }

  // ---- verification and recovery (Kratos' flows that send a code or a link to an address) ----

  /** The {@link io.ory4j.identity.spi.CodeStore} purpose of verification codes. */
  public static final String VERIFICATION_CODE = "verification_code";
  /** The {@link io.ory4j.identity.spi.CodeStore} purpose of verification link tokens. */
  public static final String VERIFICATION_LINK = "verification_link";
  /** The {@link io.ory4j.identity.spi.CodeStore} purpose of recovery codes. */
  public static final String RECOVERY_CODE = "recovery_code";
  /** The {@link io.ory4j.identity.spi.CodeStore} purpose of recovery link tokens. */
  public static final String RECOVERY_LINK = "recovery_link";
  /** Wrong codes a flow's code survives (then it is void and a new one must be sent). */
  public static final int MAX_CODE_ATTEMPTS = 5;

  /** What differs between verification and recovery: names, the address index, templates and messages. */
  private record CodeFlow(String kind, String addressKind, String codeVar, String urlVar, UiMessage codeInvalid,
      UiMessage tokenInvalid) {
    String purpose(boolean byCode) {
      return kind + (byCode ? "_code" : "_link");
    }

    String template(boolean byCode, boolean valid) {
      return kind + (byCode ? "_code" : "") + (valid ? "_valid" : "_invalid");
    }
  }

  private static final CodeFlow VERIFY = new CodeFlow("verification", "address", "VerificationCode",
      "VerificationURL", UiMessage.verificationCodeInvalid(), UiMessage.verificationTokenInvalid());
  private static final CodeFlow RECOVER = new CodeFlow("recovery", "recovery", "RecoveryCode", "RecoveryURL",
      UiMessage.recoveryCodeInvalid(), UiMessage.recoveryTokenInvalid());

  /** The courier (its messages, and {@link Courier#dispatchQueued()}). */
  public Courier courier() {
    return courier;
  }

  /** The verification settings. */
  public CodeFlowSettings verification() {
    return verification;
  }

  /** The recovery settings. */
  public CodeFlowSettings recovery() {
    return recovery;
  }

  /**
   * Kratos' verification step "send": queues a message with a 6-digit code ({@code method = "code"}) or a link
   * ({@code "link"}) to {@code address} when an identity has it as a verifiable address. An unknown address gets
   * nothing (or the {@code invalid} template with {@code notify_unknown_recipients}); the caller answers the same
   * either way, so addresses cannot be enumerated.
   *
   * @param flowUrl the flow's URL ({@code <public>/self-service/verification?flow=<id>}); the message links to it
   *     with {@code &code=} or {@code &token=}
   */
  public void sendVerification(UUID flowId, String method, String address, String flowUrl,
      SelfServiceRequest request) {
    send(VERIFY, verification, flowId, method, address, flowUrl, request);
  }

  /** Kratos' recovery step "send", as {@link #sendVerification} for an identity's recovery address. */
  public void sendRecovery(UUID flowId, String method, String address, String flowUrl, SelfServiceRequest request) {
    send(RECOVER, recovery, flowId, method, address, flowUrl, request);
  }

  private void send(CodeFlow f, CodeFlowSettings settings, UUID flowId, String method, String address,
      String flowUrl, SelfServiceRequest request) {
    boolean byCode = "code".equals(method);
    if (!byCode && !"link".equals(method)) {
      throw OryException.invalidField("method", "must be code or link");
    }
    String value = address.trim().toLowerCase(Locale.ROOT);
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("To", value);
    vars.put("RequestURL", request.url());
    Optional<Identity> owner = value.isEmpty() ? Optional.empty()
        : identities.findByIdentifier(f.addressKind() + ":email", value);
    if (owner.isEmpty()) {
      if (settings.notifyUnknownRecipients() && !value.isEmpty()) {
        courier.queueEmail(f.template(byCode, false), value, vars, null);
      }
      log.debug("{} requested for an address no identity has", f.kind());
      return;
    }
    Identity i = owner.get();
    vars.put("Identity", io.ory4j.core.json.OryJson.create().toTree(i.withoutCredentials()));
    String secret = newCode(f, byCode, flowId, i.id(), value, settings.lifespan(byCode));
    vars.put(f.codeVar(), secret);
    vars.put(f.urlVar(), flowUrl + (byCode ? "&code=" : "&token=") + secret);
    if (!byCode) {
      vars.remove(f.codeVar());
    }
    courier.queueEmail(f.template(byCode, true), value, vars, i.id());
    log.debug("{} {} queued for identity {}", f.kind(), method, i.id());
  }

  /** A new code (6 digits) or link token (256 bits), stored as a hash; returns it in clear. */
  private String newCode(CodeFlow f, boolean byCode, UUID flowId, UUID identityId, String address,
      Duration lifespan) {
    String secret = byCode ? secrets.nextString(6, "0123456789") : secrets.nextToken(32);
    codes.save(new io.ory4j.identity.spi.CodeStore.OneTimeCode(ids.next(), f.purpose(byCode),
        byCode ? codeHash(flowId, secret) : tokenHash(secret), flowId, identityId, address,
        clock.instant().plus(lifespan), null, 0));
    return secret;
  }

  private static String codeHash(UUID flowId, String code) {
    return tokenHash("ory4j-code:" + flowId + ":" + code);
  }

  /** Uses the flow's code: right, unexpired, unused and not tried too often; else {@code f.codeInvalid()}. */
  private io.ory4j.identity.spi.CodeStore.OneTimeCode useCode(CodeFlow f, UUID flowId, String code) {
    Instant now = clock.instant();
    List<io.ory4j.identity.spi.CodeStore.OneTimeCode> candidates = codes.findUnused(flowId, f.purpose(true));
    byte[] hash = codeHash(flowId, code.trim()).getBytes(StandardCharsets.US_ASCII);
    for (io.ory4j.identity.spi.CodeStore.OneTimeCode c : candidates) {
      boolean match = MessageDigest.isEqual(hash, c.codeHash().getBytes(StandardCharsets.US_ASCII));
      if (match && now.isBefore(c.expiresAt()) && c.failedAttempts() < MAX_CODE_ATTEMPTS
          && codes.markUsed(c.id(), now)) {
        return c;
      }
    }
    if (!candidates.isEmpty()) {
      codes.countFailure(candidates.get(0).id());
    }
    throw new IdentityException(400, f.codeInvalid());
  }

  /** Uses a link token: right, unexpired and unused; else {@code f.tokenInvalid()}. */
  private io.ory4j.identity.spi.CodeStore.OneTimeCode useToken(CodeFlow f, String token) {
    Instant now = clock.instant();
    io.ory4j.identity.spi.CodeStore.OneTimeCode c = codes.findByHash(f.purpose(false), tokenHash(token))
        .filter(x -> x.usedAt() == null && now.isBefore(x.expiresAt()))
        .orElseThrow(() -> new IdentityException(400, f.tokenInvalid()));
    if (!codes.markUsed(c.id(), now)) {
      throw new IdentityException(400, f.tokenInvalid());
    }
    return c;
  }

  /**
   * Completes verification with the code sent for {@code flowId}: the address is marked verified (status
   * {@code completed}, {@code verified_at}). A wrong, expired or used code, or one tried {@link #MAX_CODE_ATTEMPTS}
   * times, is message 4070006.
   */
  public Identity verifyWithCode(UUID flowId, String code) {
    return verifyWithCode(flowId, code, SelfServiceRequest.none());
  }

  /** As {@link #verifyWithCode(UUID, String)}, then the hooks after verification run. */
  public Identity verifyWithCode(UUID flowId, String code, SelfServiceRequest request) {
    return afterVerification(markVerified(useCode(VERIFY, flowId, code), true, VERIFY.codeInvalid()), request);
  }

  /** Kratos' hooks after verification: web hooks and in-process hooks see the identity with the verified address. */
  private Identity afterVerification(Identity verified, SelfServiceRequest request) {
    for (SelfServiceHooks.Hook h : hooks.verificationAfter()) {
      if (h instanceof SelfServiceHooks.WebHookHook w) {
        webHooks.call(w.config(), "verification", verified, null, request);
      } else if (h instanceof SelfServiceHooks.Custom c) {
        c.implementation().execute(new io.ory4j.identity.spi.HookContext("verification", verified, null, request));
      }
    }
    return verified;
  }

  /**
   * Completes verification with a link's token: the address is marked verified. A wrong, expired or used token is
   * message 4070001.
   *
   * @return the flow the link was sent for, and the verified identity
   */
  public Map.Entry<UUID, Identity> verifyWithToken(String token) {
    return verifyWithToken(token, SelfServiceRequest.none());
  }

  /** As {@link #verifyWithToken(String)}, then the hooks after verification run. */
  public Map.Entry<UUID, Identity> verifyWithToken(String token, SelfServiceRequest request) {
    io.ory4j.identity.spi.CodeStore.OneTimeCode c = useToken(VERIFY, token);
    return Map.entry(c.flowId(), afterVerification(markVerified(c, true, VERIFY.tokenInvalid()), request));
  }

  /**
   * Completes recovery with the code sent for {@code flowId} (or made by the admin API): the identity gets a
   * privileged session ({@code authenticated_at} now, method {@code code_recovery}), the address it proved is marked
   * verified when it is a verifiable address (as Kratos), and the hooks after recovery run
   * ({@code revoke_active_sessions}). A wrong, expired or used code is message 4060006.
   */
  public Login recoverWithCode(UUID flowId, String code, SelfServiceRequest request) {
    io.ory4j.identity.spi.CodeStore.OneTimeCode c = useCode(RECOVER, flowId, code);
    return recovered(c, "code_recovery", RECOVER.codeInvalid(), request);
  }

  /** As {@link #recoverWithCode} with a link's token (method {@code link_recovery}; 4060004 when invalid). */
  public Map.Entry<UUID, Login> recoverWithToken(String token, SelfServiceRequest request) {
    io.ory4j.identity.spi.CodeStore.OneTimeCode c = useToken(RECOVER, token);
    return Map.entry(c.flowId(), recovered(c, "link_recovery", RECOVER.tokenInvalid(), request));
  }

  private Login recovered(io.ory4j.identity.spi.CodeStore.OneTimeCode c, String method, UiMessage invalid,
      SelfServiceRequest request) {
    Identity i = c.address().isEmpty() ? identities.find(c.identityId()).orElseThrow(
        () -> new IdentityException(400, invalid)) : markVerified(c, false, invalid);
    Identity full = identities.find(i.id()).filter(Identity::isActive).orElseThrow(
        () -> new IdentityException(400, invalid));
    log.debug("identity {} recovered its account", full.id());
    return afterLogin(full, method, hooks.recoveryAfter(), request);
  }

  /**
   * Kratos' admin recovery ({@code POST /admin/recovery/code} and {@code /admin/recovery/link}): a code
   * ({@code byCode}) or a link token for the identity, bound to {@code flowId}, valid for {@code expiresIn}.
   *
   * @return the code or token in clear (shown once)
   */
  public String createRecoveryCode(UUID identityId, UUID flowId, boolean byCode, Duration expiresIn) {
    Identity i = identities.find(identityId).orElseThrow(() -> notFound(identityId));
    return newCode(RECOVER, byCode, flowId, i.id(), "", expiresIn);
  }

  /**
   * Marks the code's address verified. With {@code required} an address the identity no longer has is
   * {@code invalid}; otherwise (recovery through a recovery-only address) the identity is returned unchanged.
   */
  private Identity markVerified(io.ory4j.identity.spi.CodeStore.OneTimeCode c, boolean required, UiMessage invalid) {
    Instant now = clock.instant();
    Identity i = identities.find(c.identityId()).orElseThrow(() -> new IdentityException(400, invalid));
    List<VerifiableAddress> addresses = new ArrayList<>();
    boolean found = false;
    for (VerifiableAddress a : i.verifiableAddresses()) {
      if (a.value().equals(c.address())) {
        found = true;
        addresses.add(new VerifiableAddress(a.id(), a.value(), true, a.via(), "completed",
            a.verifiedAt() != null ? a.verifiedAt() : now, a.createdAt(), now));
      } else {
        addresses.add(a);
      }
    }
    if (!found) {
      if (required || i.recoveryAddresses().stream().noneMatch(a -> a.value().equals(c.address()))) {
        throw new IdentityException(400, invalid);
      }
      return i.withoutCredentials();
    }
    Identity updated = new Identity(i.id(), i.schemaId(), i.state(), i.stateChangedAt(), i.traits(), addresses,
        i.recoveryAddresses(), i.metadataPublic(), i.metadataAdmin(), i.credentials(), i.createdAt(), now);
    identities.update(updated);
    log.debug("identity {} verified an address", i.id());
    return updated.withoutCredentials();
  }

  // ---- settings (Kratos' settings flow: profile and password) ----

  /** {@code selfservice.flows.settings.required_aal} ({@code highest_available} unless set). */
  public String settingsRequiredAal() {
    return settingsRequiredAal;
  }

  /** {@code selfservice.flows.settings.privileged_session_max_age}. */
  public Duration privilegedSessionMaxAge() {
    return privilegedMaxAge;
  }

  /** True when the session authenticated within the privileged session age, so it may change sensitive settings. */
  public boolean isPrivileged(Session s) {
    return clock.instant().isBefore(s.authenticatedAt().plus(privilegedMaxAge));
  }

  /** Throws {@link #refreshRequired()} unless the session is privileged. */
  public void requirePrivileged(Session session) {
    if (!isPrivileged(session)) {
      throw refreshRequired();
    }
  }

  /** Kratos' 403 {@code session_refresh_required}: the session must re-authenticate (login with refresh=true). */
  public static OryException refreshRequired() {
    return OryException.forbidden("The login session is too old and thus not allowed to update these fields. Please "
        + "re-authenticate.").withId("session_refresh_required")
        .withReason("The session is too old to update these settings; re-authenticate with refresh=true.");
  }

  /**
   * Kratos' settings, method {@code profile}: replaces the session identity's traits (metadata and credentials
   * stay). Changing a protected trait (a password identifier, a verification or recovery address) needs a privileged
   * session, as Kratos ({@link #refreshRequired()} otherwise).
   */
  public Identity updateProfile(Session session, JsonNode traits) {
    return updateProfile(session, traits, SelfServiceRequest.none());
  }

  /** As {@link #updateProfile(Session, JsonNode)}, then the hooks after settings ({@code profile}) run. */
  public Identity updateProfile(Session session, JsonNode traits, SelfServiceRequest request) {
    Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
        () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
    schemas.validate(i.schemaId(), traits);
    boolean protectedChange = !schemas.passwordIdentifiers(i.schemaId(), traits).equals(schemas.passwordIdentifiers(
        i.schemaId(), i.traits()))
        || !addressesOf(i.schemaId(), traits).equals(addressesOf(i.schemaId(), i.traits()));
    if (protectedChange && !isPrivileged(session)) {
      throw refreshRequired();
    }
    Identity hooked = prePersistSettings(new Identity(i.id(), i.schemaId(), i.state(), i.stateChangedAt(), traits,
        i.verifiableAddresses(), i.recoveryAddresses(), i.metadataPublic(), i.metadataAdmin(), null, i.createdAt(),
        i.updatedAt()), session, "profile", request);
    Identity updated;
    try {
      updated = updateIdentity(i.id(), hooked.schemaId(), hooked.traits(), hooked.state(), hooked.metadataPublic(),
          hooked.metadataAdmin());
    } catch (io.ory4j.core.storage.DuplicateException e) {
      throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
    }
    return afterSettings(updated, session, "profile", request);
  }

  /**
   * Kratos' pre-persist settings hooks: the method's web hooks that can interrupt ({@code can_interrupt}) or change
   * the identity ({@code response.parse}) run in order before the change is stored, each seeing the identity as the
   * change and the hooks before it left it. An interrupting hook throws (nothing is stored); a parsed answer's
   * {@code identity} replaces traits, schema, state and metadata, validated again when stored.
   */
  private Identity prePersistSettings(Identity candidate, Session session, String method,
      SelfServiceRequest request) {
    Identity current = candidate.withoutCredentials();
    for (SelfServiceHooks.Hook h : hooks.settings(method)) {
      if (h instanceof SelfServiceHooks.WebHookHook w && w.config().prePersist()) {
        current = webHooks.call(w.config(), "settings", current, session.withIdentity(current), request);
      }
    }
    return current;
  }

  /**
   * The hooks after a stored settings change: {@code revoke_active_sessions} revokes the identity's other sessions
   * (the one that made the change stays), web hooks (those that neither interrupt nor parse: the others ran before
   * the change was stored) and in-process hooks see the updated identity.
   */
  private Identity afterSettings(Identity updated, Session session, String method, SelfServiceRequest request) {
    for (SelfServiceHooks.Hook h : hooks.settings(method)) {
      if (h == SelfServiceHooks.Builtin.REVOKE_ACTIVE_SESSIONS) {
        int n = sessions.revokeAll(updated.id(), session.id());
        log.debug("settings of identity {} revoked {} other session(s)", updated.id(), n);
      } else if (h instanceof SelfServiceHooks.WebHookHook w && !w.config().prePersist()) {
        webHooks.call(w.config(), "settings", updated, session.withIdentity(updated), request);
      } else if (h instanceof SelfServiceHooks.Custom c) {
        c.implementation().execute(new io.ory4j.identity.spi.HookContext("settings", updated,
            session.withIdentity(updated), request));
      }
    }
    return updated;
  }

  private List<String> addressesOf(String schemaId, JsonNode traits) {
    List<String> out = new ArrayList<>();
    schemas.addresses(schemaId, traits, true).forEach(a -> out.add("v:" + a[1] + ":" + a[0]));
    schemas.addresses(schemaId, traits, false).forEach(a -> out.add("r:" + a[1] + ":" + a[0]));
    return out;
  }

  /**
   * Kratos' settings, method {@code password}: sets a new password (checked against the policy), which needs a
   * privileged session ({@link #refreshRequired()} otherwise). An identity without a password gets one.
   */
  public Identity changePassword(Session session, String password) {
    return changePassword(session, password, SelfServiceRequest.none());
  }

  /** As {@link #changePassword(Session, String)}, then the hooks after settings ({@code password}) run. */
  public Identity changePassword(Session session, String password, SelfServiceRequest request) {
    requirePrivileged(session);
    Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
        () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
    if (schemas.passwordIdentifiers(i.schemaId(), i.traits()).isEmpty()) {
      throw OryException.badRequest("The identity schema marks no trait as a password identifier.");
    }
    Instant now = clock.instant();
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    // the new password is checked against the policy before any hook sees the change
    Credentials pw = passwordCredential(i.schemaId(), i.traits(), password, null, now, creds.get("password"));
    Identity h = prePersistSettings(i, session, "password", request);
    boolean changed = !h.schemaId().equals(i.schemaId()) || !h.traits().equals(i.traits())
        || !h.state().equals(i.state()) || !h.metadataPublic().equals(i.metadataPublic())
        || !h.metadataAdmin().equals(i.metadataAdmin());
    if (changed) {
      if (schemas.schema(h.schemaId()).isEmpty()) {
        throw OryException.internal("A settings hook set an unknown schema.").withReason("schema " + h.schemaId()
            + " does not exist");
      }
      requireState(h.state());
      schemas.validate(h.schemaId(), h.traits());
      List<String> ids = schemas.passwordIdentifiers(h.schemaId(), h.traits());
      if (ids.isEmpty()) {
        throw OryException.badRequest("The identity schema marks no trait as a password identifier.");
      }
      pw = new Credentials("password", ids, pw.config(), pw.version(), pw.createdAt(), now);
    }
    creds.put("password", pw);
    try {
      identities.update(new Identity(i.id(), h.schemaId(), h.state(), h.state().equals(i.state())
          ? i.stateChangedAt() : now, h.traits(), changed ? verifiable(h.schemaId(), h.traits(),
          i.verifiableAddresses(), now) : i.verifiableAddresses(), changed ? recovery(h.schemaId(), h.traits(),
          i.recoveryAddresses(), now) : i.recoveryAddresses(), h.metadataPublic(), h.metadataAdmin(), creds,
          i.createdAt(), now));
    } catch (io.ory4j.core.storage.DuplicateException e) {
      throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
    }
    log.debug("identity {} changed its password", i.id());
    return afterSettings(identities.find(i.id()).orElseThrow().withoutCredentials(), session, "password", request);
  }

  /** Every item of a paged listing, page by page. */
  private static <T> List<T> allPages(java.util.function.Function<PageRequest, Page<T>> list) {
    List<T> out = new ArrayList<>();
    PageRequest page = PageRequest.first(PageRequest.MAX_SIZE);
    while (true) {
      Page<T> p = list.apply(page);
      out.addAll(p.items());
      if (p.nextPageToken() == null) {
        return out;
      }
      page = new PageRequest(PageRequest.MAX_SIZE, p.nextPageToken());
    }
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

  /**
   * The default number of password hashes that may run at once: two per core, and no more than half the heap can
   * hold at the hasher's memory cost (argon2 at 128 MiB each), so a burst of logins cannot exhaust memory.
   */
  static int defaultHashPermits(PasswordHasher hasher) {
    long byMemory = Math.max(1, Runtime.getRuntime().maxMemory() / 2 / Math.max(1, hasher.memoryPerHash()));
    return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors() * 2L, byMemory));
  }

  /** Runs a hash or a check under the concurrency bound; 503 when no permit frees up in time. */
  private <T> T bounded(java.util.function.Supplier<T> work) {
    boolean acquired;
    try {
      acquired = hashPermits.tryAcquire(hashWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw OryException.unavailable("Interrupted while waiting to check a password.");
    }
    if (!acquired) {
      log.warn("password hashing is saturated: refusing a request");
      throw OryException.unavailable("Too many password checks are running at once; retry shortly.")
          .withReason("the password hashing concurrency limit was reached");
    }
    try {
      return work.get();
    } finally {
      hashPermits.release();
    }
  }

  /** Builds an {@link IdentityService}. */
  // ---- social sign-in: Kratos' oidc method ----

  /** Kratos' credentials type and method name of social sign-in. */
  public static final String OIDC = "oidc";

  private final List<OidcProvider> oidcProviders;

  /** {@code selfservice.methods.oidc.config.providers}. */
  public List<OidcProvider> oidcProviders() {
    return oidcProviders;
  }

  /** Kratos' identifier of an oidc credential: {@code <provider>:<subject>}. */
  public static String oidcIdentifier(String provider, String subject) {
    return provider + ":" + subject;
  }

  /** The identity that signed in with {@code subject} at {@code provider}, if any (with its credentials). */
  public Optional<Identity> findByOidcSubject(String provider, String subject) {
    return identities.findByIdentifier(OIDC, oidcIdentifier(provider, subject));
  }

  /**
   * Signs in an identity found by its oidc credential and runs the hooks after login of {@code oidc}.
   *
   * @throws IdentityException 4000006-like invalid credentials when the identity is not active
   */
  public Login loginWithOidc(Identity identity, SelfServiceRequest request) {
    if (!identity.isActive()) {
      throw new IdentityException(400, UiMessage.invalidCredentials());
    }
    return afterLogin(identity, OIDC, hooks.login(OIDC), request);
  }

  /**
   * Registers an identity with an oidc credential ({@code identifiers: ["<provider>:<subject>"]}, config
   * {@code providers: [{subject, provider}]}; the upstream's tokens are not stored) and runs the hooks after
   * registration of {@code oidc}.
   *
   * @throws IdentityException 4000007 when the identifier or one of the traits' addresses belongs to another identity
   */
  public Login registerWithOidc(@Nullable String schemaId, JsonNode traits, String provider, String subject,
      SelfServiceRequest request) {
    Identity i = newIdentity(schemaId, traits, Identity.ACTIVE, null, null, null, null);
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    creds.put(OIDC, oidcCredential(List.of(), provider, subject, i.createdAt(), null));
    return completeRegistration(i.withCredentials(creds), OIDC, request);
  }

  private static Credentials oidcCredential(List<JsonNode> kept, String provider, String subject, Instant now,
      @Nullable Credentials previous) {
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    com.fasterxml.jackson.databind.node.ArrayNode providers = config.putArray("providers");
    List<String> identifiers = new ArrayList<>();
    for (JsonNode p : kept) {
      providers.add(p);
      identifiers.add(oidcIdentifier(p.path("provider").asText(), p.path("subject").asText()));
    }
    if (!provider.isEmpty()) {
      providers.addObject().put("subject", subject).put("provider", provider);
      identifiers.add(oidcIdentifier(provider, subject));
    }
    return new Credentials(OIDC, identifiers, config, 0, previous == null ? now : previous.createdAt(), now);
  }

  /**
   * Re-authenticates the identity of an active session by social sign-in (a login with {@code refresh=true}): the
   * upstream account must be linked to that identity; the session gets {@code authenticated_at} = now and an
   * {@code oidc} entry in its methods.
   *
   * @throws IdentityException 4000006 when the upstream account is not this identity's
   */
  public Session refreshWithOidc(String sessionToken, String provider, String subject) {
    return refreshWithOidc(sessionToken, provider, subject, SelfServiceRequest.none());
  }

  /** As {@link #refreshWithOidc(String, String, String)}, running the hooks after login of {@code oidc}. */
  public Session refreshWithOidc(String sessionToken, String provider, String subject, SelfServiceRequest request) {
    Instant now = clock.instant();
    Session s = whoami(sessionToken).orElseThrow(() -> OryException.unauthorized(
        "request does not have a valid authentication session").withId("session_inactive")
        .withReason("No active session was found in this request."));
    Identity identity = findByOidcSubject(provider, subject).filter(i -> i.id().equals(s.identityId()))
        .filter(Identity::isActive).orElseThrow(() -> {
          log.warn("refresh of session {} refused: the {} account is not linked to identity {}", s.id(), provider,
              s.identityId());
          return new IdentityException(400, UiMessage.invalidCredentials());
        });
    return refreshed(s, identity, OIDC, now, request);
  }

  /** The providers the identity has linked. */
  public List<String> linkedOidcProviders(UUID identityId) {
    return identities.find(identityId).map(i -> i.credentials() == null ? null : i.credentials().get(OIDC))
        .map(c -> {
          List<String> out = new ArrayList<>();
          c.config().path("providers").forEach(p -> out.add(p.path("provider").asText()));
          return out;
        }).orElse(List.of());
  }

  /**
   * Links {@code subject} at {@code provider} to the session's identity (Kratos' settings {@code link}). Needs a
   * privileged session.
   *
   * @throws IdentityException 4000007 when another identity holds it already
   */
  public Identity linkOidc(Session session, String provider, String subject) {
    requirePrivileged(session);
    Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
        () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
    Optional<Identity> holder = findByOidcSubject(provider, subject);
    if (holder.isPresent()) {
      if (holder.get().id().equals(i.id())) {
        return i.withoutCredentials();
      }
      throw new IdentityException(400, UiMessage.duplicateIdentifier());
    }
    if (linkedOidcProviders(i.id()).contains(provider)) {
      throw OryException.badRequest("This account is already linked to another \"" + provider + "\" account; unlink "
          + "it first.");
    }
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    Credentials old = creds.get(OIDC);
    List<JsonNode> kept = new ArrayList<>();
    if (old != null) {
      old.config().path("providers").forEach(kept::add);
    }
    Instant now = clock.instant();
    creds.put(OIDC, oidcCredential(kept, provider, subject, now, old));
    return storeCredentials(i, creds, now, "linked provider " + provider);
  }

  /**
   * Unlinks {@code provider} from the session's identity (Kratos' settings {@code unlink}). Needs a privileged
   * session; refused when it is the identity's only way to sign in.
   */
  public Identity unlinkOidc(Session session, String provider) {
    requirePrivileged(session);
    Identity i = identities.find(session.identityId()).filter(Identity::isActive).orElseThrow(
        () -> OryException.unauthorized("No active session was found in this request.").withId("session_inactive"));
    Map<String, Credentials> creds = new LinkedHashMap<>(i.credentials() == null ? Map.of() : i.credentials());
    Credentials old = creds.get(OIDC);
    List<JsonNode> kept = new ArrayList<>();
    boolean found = false;
    if (old != null) {
      for (JsonNode p : old.config().path("providers")) {
        if (p.path("provider").asText().equals(provider)) {
          found = true;
        } else {
          kept.add(p);
        }
      }
    }
    if (!found) {
      throw OryException.badRequest("The identity has no \"" + provider + "\" account linked.");
    }
    boolean other = !kept.isEmpty() || creds.containsKey("password");
    if (!other) {
      throw new IdentityException(400, new UiMessage(4000001, "You can not unlink \"" + provider + "\" because it "
          + "is your only way to sign in; set a password or link another provider first.", "error", Map.of()));
    }
    Instant now = clock.instant();
    if (kept.isEmpty()) {
      creds.remove(OIDC);
    } else {
      creds.put(OIDC, oidcCredential(kept, "", "", now, old));
    }
    return storeCredentials(i, creds, now, "unlinked provider " + provider);
  }

  private Identity storeCredentials(Identity i, Map<String, Credentials> creds, Instant now, String what) {
    Identity updated = new Identity(i.id(), i.schemaId(), i.state(), i.stateChangedAt(), i.traits(),
        i.verifiableAddresses(), i.recoveryAddresses(), i.metadataPublic(), i.metadataAdmin(), creds, i.createdAt(),
        now);
    try {
      if (!identities.update(updated)) {
        throw notFound(i.id());
      }
    } catch (io.ory4j.core.storage.DuplicateException e) {
      throw new IdentityException(400, List.of(UiMessage.duplicateIdentifier()), e);
    }
    log.debug("identity {} {}", i.id(), what);
    return updated.withoutCredentials();
  }

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
    private List<OidcProvider> oidcProviders = List.of();
    private String whoamiRequiredAal = HIGHEST_AVAILABLE;
    private int throttleAttempts;
    private int hashPermits;
    private Duration hashWait = Duration.ofSeconds(10);
    private Duration throttleWindow = Duration.ofMinutes(15);
    private SelfServiceHooks hooks = SelfServiceHooks.none();
    private java.net.http.@Nullable HttpClient webHookClient;
    private @Nullable AddressThrottling addressThrottling;
    private @Nullable Courier courier;
    private io.ory4j.identity.spi.CodeStore codes = new io.ory4j.identity.store.memory.InMemoryCodeStore();
    private CodeFlowSettings verification = CodeFlowSettings.disabled();
    private CodeFlowSettings recovery = CodeFlowSettings.disabled();
    private Duration privilegedMaxAge = Duration.ofMinutes(15);
    private String settingsRequiredAal = HIGHEST_AVAILABLE;
    private WebAuthnSettings webAuthn = WebAuthnSettings.disabled();
    private WebAuthnSettings passkey = WebAuthnSettings.disabled();

    /** Kratos' {@code selfservice.methods.webauthn} (off by default). */
    public Builder webAuthn(WebAuthnSettings w) {
      webAuthn = Objects.requireNonNull(w);
      return this;
    }

    /** Kratos' {@code selfservice.methods.passkey} (off by default); {@code passwordless} is ignored. */
    public Builder passkey(WebAuthnSettings p) {
      passkey = Objects.requireNonNull(p);
      return this;
    }

    /**
     * {@code selfservice.flows.settings.required_aal}: {@code highest_available} (Kratos' default: an identity with a
     * second factor needs an aal2 session for settings) or {@code aal1}.
     */
    public Builder settingsRequiredAal(String aal) {
      if (!HIGHEST_AVAILABLE.equals(aal) && !AAL1.equals(aal)) {
        throw new IllegalArgumentException("selfservice.flows.settings.required_aal must be highest_available or aal1");
      }
      settingsRequiredAal = aal;
      return this;
    }
    private io.ory4j.identity.spi.@Nullable IdentityEraser eraser;

    /** Deletes identities with all their data in one transaction (JDBC: {@code JdbcIdentityEraser}). */
    public Builder eraser(io.ory4j.identity.spi.@Nullable IdentityEraser e) {
      eraser = e;
      return this;
    }

    /** {@code selfservice.flows.settings.privileged_session_max_age} (15 minutes, as Kratos). */
    public Builder privilegedSessionMaxAge(Duration d) {
      privilegedMaxAge = Objects.requireNonNull(d);
      return this;
    }

    private Builder() {}

    /** The courier that queues and sends email (default: in memory, no sender, so messages stay queued). */
    public Builder courier(Courier c) {
      courier = Objects.requireNonNull(c);
      return this;
    }

    /** Where one-time codes and link tokens are kept (hashes only). */
    public Builder codeStore(io.ory4j.identity.spi.CodeStore s) {
      codes = Objects.requireNonNull(s);
      return this;
    }

    /** Kratos' {@code selfservice.flows.recovery} (off by default). */
    public Builder recovery(CodeFlowSettings r) {
      recovery = Objects.requireNonNull(r);
      return this;
    }

    /** Kratos' {@code selfservice.flows.verification} (off by default). */
    public Builder verification(CodeFlowSettings v) {
      verification = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The hooks after registration and login ({@code selfservice.flows.*.after}); none by default, as Kratos, so a
     * registration issues no session unless the {@code session} hook is configured.
     */
    public Builder hooks(SelfServiceHooks h) {
      hooks = Objects.requireNonNull(h);
      return this;
    }

    /** The HTTP client web hooks are sent with (default: a JDK client with a 10 s connect timeout). */
    public Builder webHookClient(java.net.http.HttpClient c) {
      webHookClient = Objects.requireNonNull(c);
      return this;
    }

    /** Beyond Kratos, off by default: refuse a client address after repeated failed logins (message 4000901). */
    public Builder addressThrottling(@Nullable AddressThrottling t) {
      addressThrottling = t;
      return this;
    }

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

    /**
     * {@code session.whoami.required_aal}: what {@code GET /sessions/whoami} requires, {@code highest_available}
     * (Kratos' default) or {@code aal1}.
     */
    public Builder whoamiRequiredAal(String aal) {
      if (!HIGHEST_AVAILABLE.equals(aal) && !AAL1.equals(aal)) {
        throw new IllegalArgumentException("session.whoami.required_aal must be highest_available or aal1");
      }
      whoamiRequiredAal = aal;
      return this;
    }

    /** Beyond Kratos: after {@code attempts} failed logins for one identifier within {@code window}, refuse it. */
    public Builder loginThrottling(int attempts, Duration window) {
      throttleAttempts = attempts;
      throttleWindow = Objects.requireNonNull(window);
      return this;
    }

    /**
     * How many password hashes or checks may run at once, and how long a request waits for one before a 503. By
     * default two per core, capped so that half the heap holds them at the hasher's memory cost.
     */
    public Builder hashConcurrency(int permits, Duration wait) {
      if (permits < 1) {
        throw new IllegalArgumentException("hash concurrency must be at least 1");
      }
      hashPermits = permits;
      hashWait = Objects.requireNonNull(wait);
      return this;
    }

    /** {@code selfservice.methods.oidc.config.providers}: the social sign-in providers (none by default). */
    public Builder oidcProviders(List<OidcProvider> providers) {
      this.oidcProviders = List.copyOf(providers);
      return this;
    }

    public IdentityService build() {
      return new IdentityService(this);
    }
  }
}
