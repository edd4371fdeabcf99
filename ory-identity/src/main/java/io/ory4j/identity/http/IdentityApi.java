package io.ory4j.identity.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PaginationLinks;
import io.ory4j.core.http.Cookie;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.Identity;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.Session;
import io.ory4j.identity.WebAuthnSettings;
import io.ory4j.identity.internal.Flows;
import io.ory4j.identity.spi.FlowStore;
import io.ory4j.identity.store.memory.InMemoryFlowStore;
import io.ory4j.identity.internal.JsonPatch;
import io.ory4j.identity.internal.UiNodes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Kratos' REST API over {@link IdentityService}, on Kratos' paths and JSON.
 *
 * <p>{@link #adminApi()}: {@code /admin/identities} (create, list with {@code page_size}/{@code page_token} and
 * {@code credentials_identifier}, get with {@code include_credential}, update, JSON Patch, delete),
 * {@code /admin/identities/{id}/sessions}, {@code /admin/sessions} (list, get, revoke). {@link #publicApi()}:
 * {@code /sessions/whoami} (with {@code X-Session-Token}, {@code Authorization: Bearer}, or the
 * {@code ory_kratos_session} cookie), {@code /sessions} (list mine, revoke others, revoke one),
 * {@code /self-service/registration/api} and {@code /self-service/login/api} (the API flavor: initialize, fetch with
 * {@code /flows?id=}, submit to {@code ?flow=}), {@code DELETE /self-service/logout/api}, and {@code /schemas}.
 *
 * <p>Second factor: {@code GET /self-service/login/{api|browser}?aal=aal2} with the aal1 session gives a flow with
 * the identity's {@code totp} and {@code lookup_secret} nodes, and submitting it raises the same session to aal2;
 * {@code /sessions/whoami} answers 403 {@code session_aal2_required} as Kratos' {@code highest_available};
 * {@code DELETE /admin/identities/{id}/credentials/{totp|lookup_secret}} removes a second factor.
 *
 * <p>Issue 8: the settings flow ({@code /self-service/settings/api|browser}, {@code /flows}, submit; methods
 * {@code profile}, {@code password}, {@code totp}, {@code lookup_secret}; {@code session_refresh_required}), the
 * verification and recovery flows by code or link ({@code /self-service/verification/...},
 * {@code /self-service/recovery/...}), {@code /admin/recovery/code} and {@code /admin/recovery/link},
 * {@code /admin/courier/messages} (list and get) and {@code GET /admin/identities/{id}/export} (beyond Kratos).
 *
 * <p>WebAuthn and passkeys (browser flows, as Kratos): the settings methods {@code webauthn} and {@code passkey}, the
 * {@code webauthn} second factor of {@code aal=aal2} flows, passwordless {@code webauthn} and {@code passkey} login,
 * passkey registration, and the helper script at {@value #WEBAUTHN_JS}; challenges live in the flows' internal
 * context. See docs/identity.md.
 */
public final class IdentityApi {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IdentityApi.class);

  /** Kratos' session cookie name. */
  public static final String SESSION_COOKIE = "ory_kratos_session";
  /** The CSRF cookie of browser flows. */
  public static final String CSRF_COOKIE = "csrf_token";

  private final IdentityService service;
  private final OryJson json;
  private final Clock clock;
  private final Flows flows;
  private final OidcMethod oidc;
  private final String baseUrl;
  private final @Nullable BrowserSettings browser;
  private final SecretGenerator secrets = SecretGenerator.secureRandom();
  private final Map<String, UUID> logoutTokens = new ConcurrentHashMap<>();
  private final byte[] webAuthnJs = loadWebAuthnJs();
  private final String webAuthnJsIntegrity = "sha512-" + java.util.Base64.getEncoder().encodeToString(sha512(
      webAuthnJs));
  private final Object[] flowLocks = new Object[64];

  /**
   * An API with the API flavor of the flows only.
   *
   * @param baseUrl the public base URL the flows' {@code ui.action} points to, such as {@code https://auth.example}
   */
  public IdentityApi(IdentityService service, OryJson json, Clock clock, String baseUrl) {
    this(service, json, clock, baseUrl, null);
  }

  /** An API with both flavors of the flows; {@code browser} configures the browser flavor. */
  public IdentityApi(IdentityService service, OryJson json, Clock clock, String baseUrl,
      @Nullable BrowserSettings browser) {
    this(service, json, clock, baseUrl, browser, new InMemoryFlowStore());
  }

  /** An API whose flows live in {@code flowStore} (JDBC, so several processes share them). */
  public IdentityApi(IdentityService service, OryJson json, Clock clock, String baseUrl,
      @Nullable BrowserSettings browser, FlowStore flowStore) {
    this.service = Objects.requireNonNull(service, "service");
    this.json = Objects.requireNonNull(json, "json");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.flows = new Flows(flowStore, json, clock, Duration.ofHours(1));
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.oidc = new OidcMethod(service, json, clock, this.baseUrl, secrets);
    this.browser = browser;
    for (int i = 0; i < flowLocks.length; i++) {
      flowLocks[i] = new Object();
    }
  }

  private static byte[] loadWebAuthnJs() {
    try (java.io.InputStream in = IdentityApi.class.getResourceAsStream("/io/ory4j/identity/webauthn.js")) {
      return Objects.requireNonNull(in, "webauthn.js is missing from the jar").readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] sha512(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-512").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public Router adminApi() {
    return Router.builder(new OryErrorRenderer(json))
        .post("/admin/identities", this::createIdentity)
        .get("/admin/identities", this::listIdentities)
        .patch("/admin/identities", this::batchIdentities)
        .get("/admin/identities/{id}", this::getIdentity)
        .put("/admin/identities/{id}", this::updateIdentity)
        .patch("/admin/identities/{id}", this::patchIdentity)
        .delete("/admin/identities/{id}", this::deleteIdentity)
        .get("/admin/identities/{id}/export", r -> json(200, service.exportIdentity(uuid(r.pathParam("id")
            .orElseThrow()))))
        .delete("/admin/identities/{id}/credentials/{type}", this::deleteCredential)
        .get("/admin/identities/{id}/sessions", this::identitySessions)
        .delete("/admin/identities/{id}/sessions", r -> {
          service.revokeSessions(uuid(r.pathParam("id").orElseThrow()), null);
          return HttpResponse.noContent();
        })
        .get("/admin/sessions", this::allSessions)
        .get("/admin/courier/messages", this::courierMessages)
        .post("/admin/recovery/code", r -> adminRecovery(r, true))
        .post("/admin/recovery/link", r -> adminRecovery(r, false))
        .get("/admin/courier/messages/{id}", r -> json(200, service.courier().message(uuid(r.pathParam("id")
            .orElseThrow())).orElseThrow(() -> OryException.notFound("Unable to locate the resource"))))
        .get("/admin/sessions/{id}", r -> json(200, service.getSession(uuid(r.pathParam("id").orElseThrow()))
            .orElseThrow(() -> OryException.notFound("Unable to locate the resource"))))
        .delete("/admin/sessions/{id}", r -> {
          if (!service.revokeSession(uuid(r.pathParam("id").orElseThrow()))) {
            throw OryException.notFound("Unable to locate the resource");
          }
          return HttpResponse.noContent();
        })
        .build();
  }

  public Router publicApi() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/sessions/whoami", this::whoami)
        .get(WEBAUTHN_JS, r -> HttpResponse.builder(200).header("Content-Type", "text/javascript; charset=utf-8")
            .header("Cache-Control", "public, max-age=3600").body(webAuthnJs).build())
        .get("/sessions", this::mySessions)
        .delete("/sessions", r -> {
          Session s = requireSession(r);
          int n = service.revokeSessions(s.identityId(), s.id());
          return json(200, Map.of("count", n));
        })
        .delete("/sessions/{id}", r -> {
          Session s = requireSession(r);
          UUID id = uuid(r.pathParam("id").orElseThrow());
          Session other = service.getSession(id).filter(x -> x.identityId().equals(s.identityId()))
              .orElseThrow(() -> OryException.notFound("Unable to locate the resource"));
          if (other.id().equals(s.id())) {
            throw OryException.badRequest("The current session cannot be revoked here; use logout.");
          }
          service.revokeSession(other.id());
          return HttpResponse.noContent();
        })
        .get("/self-service/registration/api", r -> json(200, newFlow("registration", "api", r, null).json()))
        .get("/self-service/registration/browser", r -> initBrowser("registration", r))
        .get("/self-service/login/browser", r -> initBrowser("login", r))
        .get("/self-service/logout/browser", this::logoutBrowser)
        .get("/self-service/logout", this::logoutWithToken)
        .get("/self-service/registration/flows", r -> json(200, fetchFlow(r, "registration").json()))
        .post("/self-service/registration", this::submitRegistration)
        .get("/self-service/login/api", r -> json(200, initApiLogin(r).json()))
        .get("/self-service/verification/api", r -> json(200, newAddressFlow(VERIFICATION, "api", r, null).json()))
        .get("/self-service/verification/browser", r -> initAddressBrowser(VERIFICATION, r))
        .get("/self-service/verification/flows", r -> {
          requireEnabled(VERIFICATION);
          return json(200, fetchFlow(r, VERIFICATION).json());
        })
        .post("/self-service/verification", r -> submitAddressFlow(VERIFICATION, r))
        .get("/self-service/verification", r -> addressFlowLink(VERIFICATION, r))
        .get("/self-service/settings/api", r -> json(200, newSettingsFlow("api", r, settingsSession(r), null).json()))
        .get("/self-service/settings/browser", this::initSettingsBrowser)
        .get("/self-service/settings/flows", r -> json(200, settingsFlowOf(r, fetchFlow(r, SETTINGS)).json()))
        .post("/self-service/settings", this::submitSettings)
        .get("/self-service/recovery/api", r -> json(200, newAddressFlow(RECOVERY, "api", r, null).json()))
        .get("/self-service/recovery/browser", r -> initAddressBrowser(RECOVERY, r))
        .get("/self-service/recovery/flows", r -> {
          requireEnabled(RECOVERY);
          return json(200, fetchFlow(r, RECOVERY).json());
        })
        .post("/self-service/recovery", r -> submitAddressFlow(RECOVERY, r))
        .get("/self-service/recovery", r -> addressFlowLink(RECOVERY, r))
        .get("/self-service/login/flows", r -> json(200, fetchFlow(r, "login").json()))
        .post("/self-service/login", this::submitLogin)
        .get("/self-service/methods/oidc/callback/{provider}", this::oidcCallback)
        .post("/self-service/methods/oidc/callback/{provider}", this::oidcCallback)
        .delete("/self-service/logout/api", r -> {
          JsonNode body = json.readTree(r.body());
          String token = body.path("session_token").asText("");
          if (token.isEmpty() || !service.logout(token)) {
            throw OryException.forbidden("The provided session token is invalid or was already revoked.");
          }
          return HttpResponse.noContent();
        })
        .get("/schemas", r -> {
          ArrayNode arr = json.mapper().createArrayNode();
          for (String id : service.schemas().ids()) {
            ObjectNode n = arr.addObject();
            n.put("id", id);
            n.set("schema", service.schemas().schema(id).orElseThrow());
          }
          return json(200, arr);
        })
        .get("/schemas/{id}", r -> {
          String id = r.pathParam("id").orElseThrow();
          String decoded = decodeSchemaId(id);
          return json(200, service.schemas().schema(decoded).or(() -> service.schemas().schema(id))
              .orElseThrow(() -> OryException.notFound("The identity schema does not exist.")));
        })
        .build();
  }

  // ---- admin ----

  private HttpResponse createIdentity(HttpRequest r) {
    JsonNode b = json.readTree(r.body());
    JsonNode pw = b.path("credentials").path("password").path("config");
    Identity i = service.createIdentity(text(b, "schema_id"), requireTraits(b), text(b, "state"),
        text(pw, "password"), text(pw, "hashed_password"), b.get("metadata_public"), b.get("metadata_admin"));
    return HttpResponse.builder(201).header("Content-Type", "application/json; charset=utf-8")
        .header("Location", baseUrl + "/admin/identities/" + i.id())
        .body(json.writeBytes(i.withoutCredentials())).build();
  }

  /**
   * Kratos' batch import: {@code {"identities":[{"create":{...POST body...}, "patch_id":...}]}} answers 200 with one
   * result per entry, in order: {@code {"action":"create","identity":id}} or {@code {"action":"error","error":{..}}}.
   * Each entry is independent; more than {@link IdentityService#BATCH_LIMIT} entries is 400.
   */
  private HttpResponse batchIdentities(HttpRequest r) {
    JsonNode b = json.readTree(r.body());
    JsonNode list = b.path("identities");
    if (!list.isArray()) {
      throw OryException.invalidField("identities", "must be an array");
    }
    if (list.size() > IdentityService.BATCH_LIMIT) {
      throw OryException.badRequest("The batch contains more than " + IdentityService.BATCH_LIMIT
          + " identities.").withReason("A batch may hold at most " + IdentityService.BATCH_LIMIT
          + " identities, it held " + list.size() + ".");
    }
    // parse each entry on its own: a malformed entry is an error result, the others still run
    OryError[] parseErrors = new OryError[list.size()];
    List<IdentityService.IdentityCreate> valid = new java.util.ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i).path("create");
      try {
        if (!c.isObject()) {
          throw OryException.invalidField("identities[" + i + "].create", "must be an object");
        }
        JsonNode pw = c.path("credentials").path("password").path("config");
        valid.add(new IdentityService.IdentityCreate(text(c, "schema_id"), requireTraits(c), text(c, "state"),
            text(pw, "password"), text(pw, "hashed_password"), c.get("metadata_public"), c.get("metadata_admin")));
      } catch (OryException e) {
        parseErrors[i] = e.error();
      }
    }
    List<IdentityService.BatchResult> results = service.createIdentities(valid);
    ArrayNode out = json.mapper().createArrayNode();
    int next = 0;
    for (int i = 0; i < list.size(); i++) {
      IdentityService.BatchResult res = parseErrors[i] != null ? new IdentityService.BatchResult(null,
          parseErrors[i]) : results.get(next++);
      ObjectNode n = out.addObject();
      n.put("action", res.action());
      if (res.identity() != null) {
        n.put("identity", res.identity().toString());
      } else {
        n.set("error", json.toTree(res.error()));
      }
      JsonNode patchId = list.get(i).get("patch_id");
      if (patchId != null && !patchId.isNull()) {
        n.set("patch_id", patchId);
      }
    }
    ObjectNode body = json.object();
    body.set("identities", out);
    return json(200, body);
  }

  private HttpResponse listIdentities(HttpRequest r) {
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null), r.queryParam("page_token")
        .orElse(null));
    Page<Identity> p = service.listIdentities(page, r.queryParam("credentials_identifier").orElse(null));
    Map<String, String> q = new LinkedHashMap<>();
    r.queryParam("credentials_identifier").ifPresent(v -> q.put("credentials_identifier", v));
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader("/admin/identities", q, page.pageSize(), p))
        .body(json.writeBytes(p.items())).build();
  }

  /**
   * {@code include_credential} names the credential types shown ({@code password}, {@code totp},
   * {@code lookup_secret}); the others stay out, so asking for the password hash does not reveal a TOTP secret.
   */
  private HttpResponse getIdentity(HttpRequest r) {
    List<String> types = r.query().getOrDefault("include_credential", List.of());
    Identity i = service.getIdentity(uuid(r.pathParam("id").orElseThrow()), !types.isEmpty())
        .orElseThrow(() -> OryException.notFound("Unable to locate the resource"));
    if (i.credentials() != null) {
      Map<String, Identity.Credentials> shown = new LinkedHashMap<>(i.credentials());
      shown.keySet().retainAll(types);
      i = shown.isEmpty() ? i.withoutCredentials() : i.withCredentials(shown);
    }
    return json(200, i);
  }

  private HttpResponse updateIdentity(HttpRequest r) {
    JsonNode b = json.readTree(r.body());
    return json(200, service.updateIdentity(uuid(r.pathParam("id").orElseThrow()), text(b, "schema_id"),
        requireTraits(b), text(b, "state"), b.get("metadata_public"), b.get("metadata_admin")));
  }

  private HttpResponse patchIdentity(HttpRequest r) {
    UUID id = uuid(r.pathParam("id").orElseThrow());
    Identity current = service.getIdentity(id, false).orElseThrow(() -> OryException.notFound(
        "Unable to locate the resource"));
    JsonNode patched = JsonPatch.apply(json.toTree(current), json.readTree(r.body()));
    if (!patched.path("id").asText().equals(id.toString())) {
      throw OryException.badRequest("A JSON Patch may not change the identity's id.");
    }
    return json(200, service.updateIdentity(id, text(patched, "schema_id"), requireTraits(patched),
        text(patched, "state"), patched.get("metadata_public"), patched.get("metadata_admin")));
  }

  private HttpResponse deleteIdentity(HttpRequest r) {
    service.deleteIdentity(uuid(r.pathParam("id").orElseThrow()));
    return HttpResponse.noContent();
  }

  /**
   * Kratos' {@code DELETE /admin/identities/{id}/credentials/{type}}: removes a second factor ({@code totp},
   * {@code lookup_secret}, or the second-factor keys of {@code webauthn}, as Kratos); a first factor such as
   * {@code password} cannot be removed this way (400), and a missing credential is 404.
   */
  private HttpResponse deleteCredential(HttpRequest r) {
    UUID id = uuid(r.pathParam("id").orElseThrow());
    String type = r.pathParam("type").orElseThrow();
    service.getIdentity(id, false).orElseThrow(() -> OryException.notFound("Unable to locate the resource"));
    boolean removed = switch (type) {
      case IdentityService.TOTP -> service.unlinkTotp(id);
      case IdentityService.LOOKUP_SECRET -> service.removeLookupSecrets(id);
      case IdentityService.WEBAUTHN -> service.removeSecondFactorWebAuthnKeys(id);
      default -> throw OryException.badRequest("You can't remove first factor credentials.")
          .withReason("Credential type \"" + type + "\" cannot be removed; only totp, lookup_secret and the "
              + "second-factor keys of webauthn can.");
    };
    if (!removed) {
      throw OryException.notFound("Unable to locate the resource")
          .withReason("The identity has no " + type + " credential.");
    }
    return HttpResponse.noContent();
  }

  private HttpResponse identitySessions(HttpRequest r) {
    UUID id = uuid(r.pathParam("id").orElseThrow());
    service.getIdentity(id, false).orElseThrow(() -> OryException.notFound("Unable to locate the resource"));
    return sessionsPage(r, id);
  }

  private HttpResponse allSessions(HttpRequest r) {
    return sessionsPage(r, null);
  }

  private HttpResponse sessionsPage(HttpRequest r, UUID identity) {
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null), r.queryParam("page_token")
        .orElse(null));
    Boolean active = r.queryParam("active").map(Boolean::parseBoolean).orElse(null);
    Page<Session> p = service.listSessions(identity, active, page);
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader(r.path(), Map.of(), page.pageSize(), p))
        .body(json.writeBytes(p.items())).build();
  }

  // ---- public ----

  private static String sessionToken(HttpRequest r) {
    return r.header("X-Session-Token").orElseGet(() -> r.header("Authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim())
        .orElseGet(() -> r.cookie(SESSION_COOKIE).orElse("")));
  }

  /**
   * Kratos' whoami with {@code session.whoami.required_aal}; a refusal names where a browser completes the second
   * factor, keeping the request's {@code return_to}.
   */
  private HttpResponse whoami(HttpRequest r) {
    try {
      return json(200, service.whoami(sessionToken(r), service.whoamiRequiredAal())
          .orElseThrow(IdentityApi::noSession));
    } catch (OryException e) {
      if ("session_aal2_required".equals(e.error().id())) {
        String returnTo = r.queryParam("return_to").filter(x -> !x.isEmpty()).map(x -> "&return_to="
            + java.net.URLEncoder.encode(x, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
        throw e.withDetail("redirect_browser_to", baseUrl + "/self-service/login/browser?aal=aal2" + returnTo);
      }
      throw e;
    }
  }

  private static OryException noSession() {
    return new OryException(OryError.of(401, "request does not have a valid authentication session")
        .withId("session_inactive").withReason("No active session was found in this request."));
  }

  private Session requireSession(HttpRequest r) {
    return service.whoami(sessionToken(r)).orElseThrow(IdentityApi::noSession);
  }

  /**
   * {@code GET /self-service/login/api}: a first-factor flow, or with {@code ?aal=aal2} and the session's token a
   * second-factor flow whose nodes are the factors the identity has set up (Kratos' step-up).
   */
  private Flows.Flow initApiLogin(HttpRequest r) {
    String aal = r.queryParam("aal").filter(x -> !x.isEmpty()).orElse(IdentityService.AAL1);
    if (aal.equals(IdentityService.AAL1)) {
      if (isRefresh(r)) {
        Optional<Session> s = service.whoami(sessionToken(r));
        if (s.isPresent()) {
          return newRefreshFlow(r, "api", null, s.get());
        }
      }
      return newFlow("login", "api", r, null);
    }
    if (!aal.equals(IdentityService.AAL2)) {
      throw OryException.invalidField("aal", "must be aal1 or aal2");
    }
    return newAal2Flow(r, "api", null, isRefresh(r));
  }

  private static boolean isRefresh(HttpRequest r) {
    return r.queryParam("refresh").filter("true"::equals).isPresent();
  }

  /**
   * A login flow with {@code refresh: true} for the identity of {@code s}: the identifier node holds the identity's
   * identifier and is disabled, with Kratos' message 1010003 asking to confirm it is you.
   */
  private Flows.Flow newRefreshFlow(HttpRequest r, String flavor, @Nullable String returnTo, Session s) {
    Flows.Flow f = newFlow("login", flavor, r, returnTo);
    ObjectNode j = Flows.copy(f.json());
    j.put("refresh", true);
    return flows.put(withRefreshNodes(f.withJson(j), s.identityId()));
  }

  /**
   * The nodes of a refresh flow for the identity: its password (identifier pre-filled, disabled), and in browser
   * flows its linked social sign-in providers and, as Kratos, its security keys: a {@code webauthn_login_trigger} for
   * its passwordless webauthn keys and the passkey login, each with a fresh challenge the internal context keeps.
   */
  private Flows.Flow withRefreshNodes(Flows.Flow f, UUID identityId) {
    String flavor = f.flavor();
    List<String> identifiers = service.passwordIdentifiers(identityId);
    // social sign-in re-authenticates in browser flows, with the providers the identity has linked
    List<String> linked = flavor.equals("browser") ? service.linkedOidcProviders(identityId) : List.of();
    // security keys work in browser flows only, as Kratos
    List<String> keys = flavor.equals("browser") ? service.refreshWebAuthnMethods(identityId) : List.of();
    if (identifiers.isEmpty() && linked.isEmpty() && keys.isEmpty()) {
      throw OryException.badRequest("The identity of this session has no password to re-authenticate with.");
    }
    ObjectNode j = Flows.copy(f.json());
    ObjectNode ui = (ObjectNode) j.path("ui");
    ArrayNode nodes = UiNodes.login(identifiers.isEmpty() ? null : identifiers.get(0), f.csrfToken());
    for (java.util.Iterator<JsonNode> it = nodes.iterator(); it.hasNext();) {
      JsonNode n = it.next();
      if (identifiers.isEmpty() && !n.path("attributes").path("name").asText().equals("csrf_token")) {
        it.remove();
      } else if (n.path("attributes").path("name").asText().equals("identifier")) {
        ((ObjectNode) n.path("attributes")).put("disabled", true);
      }
    }
    oidc.appendRefreshNodes(linked, nodes);
    ObjectNode ctx = f.internalContext();
    if (keys.contains(IdentityService.WEBAUTHN)) {
      ctx = withWebAuthnLogin(nodes, ctx, identityId, true);
    }
    if (keys.contains(IdentityService.PASSKEY)) {
      byte[] c = newChallenge();
      UiNodes.addPasskeyLogin(nodes, json.write(service.passkeyLoginOptions(c)), scriptUrl(), webAuthnJsIntegrity);
      ctx = withSessionData(ctx, IdentityService.PASSKEY, c, json.object());
    }
    ui.set("nodes", nodes);
    ui.putArray("messages").add(json.toTree(new io.ory4j.identity.UiMessage(1010003,
        "Please confirm this action by verifying that it is you.", "info", Map.of())));
    return f.withJson(j).withInternalContext(ctx);
  }

  /**
   * A second-factor login flow. With {@code refresh=true} (Kratos' {@code aal=aal2&refresh=true}) an aal2 session may
   * ask for one too, to re-authenticate its second factor; the flow then has {@code refresh: true}.
   */
  private Flows.Flow newAal2Flow(HttpRequest r, String flavor, @Nullable String returnTo, boolean refresh) {
    Session s = service.whoami(sessionToken(r)).orElseThrow(() -> OryException.unauthorized(
        "aal2 and aal3 can only be requested if a session exists already").withId("session_aal1_required")
        .withReason("You can not requested a higher AAL (AAL2/AAL3) without an active session."));
    if (!refresh && IdentityService.AAL2.equals(s.authenticatorAssuranceLevel())) {
      throw OryException.badRequest("session has the requested authenticator assurance level already")
          .withId("session_aal_already_fulfilled").withReason("The session has the requested AAL already.");
    }
    if (secondFactors(s.identityId(), flavor).isEmpty()) {
      throw OryException.badRequest("No second factor is set up for this identity; aal2 cannot be reached.")
          .withReason("The identity has no TOTP device, no lookup secrets and no security key (a security key "
              + "works in browser flows only, as Kratos).");
    }
    Flows.Flow f = newFlow("login", flavor, r, returnTo);
    ObjectNode j = Flows.copy(f.json());
    j.put("requested_aal", IdentityService.AAL2);
    j.put("refresh", refresh);
    ObjectNode ui = (ObjectNode) j.path("ui");
    ui.putArray("messages").add(json.toTree(new io.ory4j.identity.UiMessage(1010004,
        "Please complete the second authentication challenge.", "info", Map.of())));
    return flows.put(withAal2Nodes(f.withJson(j), s.identityId()));
  }

  /** The identity's second factors a flow of this flavor offers: a security key only in browser flows, as Kratos. */
  private List<String> secondFactors(UUID identityId, String flavor) {
    return service.secondFactors(identityId).stream().filter(x -> flavor.equals("browser")
        || !x.equals(IdentityService.WEBAUTHN)).toList();
  }

  /**
   * The second-factor nodes of an aal2 flow: TOTP and lookup secret as before, and for a security key Kratos'
   * {@code webauthn_login_trigger} with fresh request options whose challenge the flow's internal context keeps.
   */
  private Flows.Flow withAal2Nodes(Flows.Flow f, UUID identityId) {
    List<String> factors = secondFactors(identityId, f.flavor());
    ArrayNode nodes = UiNodes.secondFactor(factors, f.csrfToken());
    ObjectNode ctx = f.internalContext();
    if (factors.contains(IdentityService.WEBAUTHN)) {
      ctx = withWebAuthnLogin(nodes, ctx, identityId, false);
    }
    ObjectNode j = Flows.copy(f.json());
    ((ObjectNode) j.path("ui")).set("nodes", nodes);
    return f.withJson(j).withInternalContext(ctx);
  }

  /**
   * Adds Kratos' {@code webauthn_login_trigger} for the identity's passwordless or second-factor keys with a fresh
   * challenge; answers the internal context keeping it.
   */
  private ObjectNode withWebAuthnLogin(ArrayNode nodes, ObjectNode ctx, UUID identityId, boolean passwordless) {
    byte[] c = newChallenge();
    UiNodes.addWebAuthnLogin(nodes, json.write(service.webAuthnLoginOptions(identityId, passwordless, c)),
        scriptUrl(), webAuthnJsIntegrity);
    return withSessionData(ctx, IdentityService.WEBAUTHN, c, json.object());
  }

  private HttpResponse submitSecondFactor(HttpRequest r, Flows.Flow flow, JsonNode body) {
    String method = methodOf(body);
    String code = switch (method) {
      case IdentityService.TOTP -> body.path("totp_code").asText("");
      case IdentityService.LOOKUP_SECRET -> body.path("lookup_secret").asText("");
      case IdentityService.WEBAUTHN -> requireBrowserMethod(flow, method, body.path("webauthn_login").asText(""));
      default -> throw notEnabled(method);
    };
    String token = sessionToken(r);
    try {
      boolean refresh = flow.json().path("refresh").asBoolean(false);
      Session s = method.equals(IdentityService.WEBAUTHN)
          ? service.loginSecondFactorWithWebAuthn(token, takeChallenge(flow, method).challenge(), code,
              selfServiceRequest(r, flow), refresh)
          : service.loginSecondFactor(token, method, code, selfServiceRequest(r, flow), refresh);
      flows.remove(flow.id());
      if (flow.flavor().equals("browser")) {
        return browserSuccess(r, flow, new IdentityService.Login(Objects.requireNonNull(s.identity()), s, token),
            false);
      }
      ObjectNode out = json.object();
      out.put("session_token", token);
      out.set("session", json.toTree(s));
      return json(200, out);
    } catch (IdentityException e) {
      Session s = service.whoami(token).orElseThrow(IdentityApi::noSession);
      Flows.Flow fresh = withAal2Nodes(flow, s.identityId());
      return flowError(r, fresh, e, (ArrayNode) fresh.json().path("ui").path("nodes"));
    }
  }

  private HttpResponse mySessions(HttpRequest r) {
    Session s = requireSession(r);
    Page<Session> p = service.listSessions(s.identityId(), true, PageRequest.parse(r.queryParam("page_size")
        .orElse(null), r.queryParam("page_token").orElse(null)));
    return json(200, p.items().stream().filter(x -> !x.id().equals(s.id())).toList());
  }

  private Flows.Flow newFlow(String kind, String flavor, HttpRequest r, @Nullable String returnTo) {
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    String csrf = flavor.equals("browser") ? secrets.nextToken(32) : "";
    ObjectNode f = json.object();
    f.put("id", id.toString());
    f.put("type", flavor);
    f.put("expires_at", now.plus(flows.lifespan()).toString());
    f.put("issued_at", now.toString());
    f.put("request_url", baseUrl + r.path() + (r.rawQuery() == null ? "" : "?" + r.rawQuery()));
    ObjectNode ui = f.putObject("ui");
    ui.put("action", baseUrl + "/self-service/" + kind + "?flow=" + id);
    ui.put("method", "POST");
    String schemaId = service.schemas().defaultId();
    ui.set("nodes", kind.equals("registration") ? UiNodes.registration(service.schemas(), schemaId, null, csrf)
        : UiNodes.login(null, csrf));
    oidc.appendNodes(kind, (ArrayNode) ui.get("nodes"));
    if (returnTo != null) {
      f.put("return_to", returnTo);
    }
    if (kind.equals("login")) {
      f.put("refresh", false);
      f.put("requested_aal", "aal1");
    }
    f.put("state", "choose_method");
    return flows.put(new Flows.Flow(id, kind, flavor, f, now.plus(flows.lifespan()), csrf, returnTo));
  }

  // ---- browser flavor ----

  private BrowserSettings requireBrowser() {
    if (browser == null) {
      throw OryException.notFound("The browser flavor of the self-service flows is not enabled.");
    }
    return browser;
  }

  private static boolean wantsJson(HttpRequest r) {
    return r.header("Accept").map(a -> a.contains("application/json")).orElse(false)
        || r.contentType().filter("application/json"::equals).isPresent();
  }

  /** The request's {@code return_to}, checked against {@code selfservice.allowed_return_urls}. */
  private static @Nullable String checkedReturnTo(HttpRequest r, BrowserSettings b) {
    String returnTo = r.queryParam("return_to").filter(x -> !x.isEmpty()).orElse(null);
    if (returnTo != null && !b.allows(safeUri(returnTo))) {
      // Kratos' herodot.ErrBadRequest with id text.ErrIDRedirectURLNotAllowed and the URL in the reason
      throw new OryException(OryError.of(400, "The request was malformed or contained invalid parameters")
          .withId("self_service_flow_return_to_forbidden")
          .withReason("Requested return_to URL \"" + returnTo + "\" is not allowed."));
    }
    return returnTo;
  }

  private HttpResponse initBrowser(String kind, HttpRequest r) {
    BrowserSettings b = requireBrowser();
    String returnTo = checkedReturnTo(r, b);
    String aal = r.queryParam("aal").filter(x -> !x.isEmpty()).orElse(IdentityService.AAL1);
    if (!aal.equals(IdentityService.AAL1) && !(kind.equals("login") && aal.equals(IdentityService.AAL2))) {
      throw OryException.invalidField("aal", "must be aal1 or, on login, aal2");
    }
    Optional<Session> current = aal.equals(IdentityService.AAL1) ? sessionOf(r) : Optional.empty();
    boolean refresh = kind.equals("login") && isRefresh(r);
    if (current.isPresent() && !refresh) {
      if (wantsJson(r)) {
        throw new OryException(OryError.of(400, "A valid session was detected and thus login is not possible. Did "
            + "you forget to set `?refresh=true`?").withId("session_already_available"));
      }
      return HttpResponse.redirect(303, returnTo != null ? returnTo : b.defaultReturnTo().toString());
    }
    Flows.Flow f = aal.equals(IdentityService.AAL2) ? newAal2Flow(r, "browser", returnTo, refresh)
        : current.isPresent() ? newRefreshFlow(r, "browser", returnTo, current.get())
        : flows.put(withFirstFactorNodes(newFlow(kind, "browser", r, returnTo), null, null));
    HttpResponse.Builder res = wantsJson(r)
        ? HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
            .body(json.writeBytes(f.json()))
        : HttpResponse.builder(303).header("Location", uiUrl(kind, b) + "?flow=" + f.id());
    return res.header("Cache-Control", "private, no-cache, no-store, must-revalidate")
        .cookie(csrfCookie(f.csrfToken(), b)).build();
  }

  private static String uiUrl(String kind, BrowserSettings b) {
    return (kind.equals("login") ? b.loginUi() : kind.equals(VERIFICATION) ? b.verificationUi()
        : kind.equals(RECOVERY) ? b.recoveryUi() : kind.equals(SETTINGS) ? b.settingsUi()
        : b.registrationUi()).toString();
  }

  private static Cookie csrfCookie(String token, BrowserSettings b) {
    return Cookie.of(CSRF_COOKIE, token).withSecure(b.secureCookies()).withSameSite("Lax");
  }

  private Flows.Flow fetchFlow(HttpRequest r, String kind) {
    Flows.Flow f = flows.require(r.queryParam("id").orElse(""), kind);
    // a browser flow the admin API made (recovery) has no CSRF token, as Kratos' admin flows
    if (f.flavor().equals("browser") && !f.csrfToken().isEmpty()) {
      requireCsrfCookie(r, f);
    }
    return f;
  }

  private static void requireCsrfCookie(HttpRequest r, Flows.Flow f) {
    if (!ConstantTime.equals(r.cookie(CSRF_COOKIE).orElse(null), f.csrfToken())) {
      throw csrfViolation();
    }
  }

  private static OryException csrfViolation() {
    return new OryException(OryError.of(403, "the request was rejected to protect you from Cross-Site-Request-Forgery")
        .withId("security_csrf_violation")
        .withReason("Please retry the flow and optionally clear your cookies. The request was rejected to protect you "
            + "from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal "
            + "information, and other serious security issues."));
  }

  private static void requireCsrf(HttpRequest r, JsonNode body, Flows.Flow f) {
    requireCsrfCookie(r, f);
    if (!ConstantTime.equals(body.path("csrf_token").asText(null), f.csrfToken())) {
      throw csrfViolation();
    }
  }

  /**
   * A finished browser flow: the session cookie (none after a registration without the {@code session} hook, as
   * Kratos), then the JSON answer or the redirect to {@code return_to}.
   */
  private HttpResponse browserSuccess(HttpRequest r, Flows.Flow f, IdentityService.Login login, boolean identity) {
    return browserSuccess(r, f, login, identity, null);
  }

  /**
   * As Kratos, when verification is on a registration starts a verification flow for each new unverified address (in
   * the registration's flavor) and sends its code or link; Kratos' {@code continue_with} names them.
   */
  private List<Flows.Flow> verifyNewAddresses(HttpRequest r, Flows.Flow registration, Identity identity) {
    if (!service.verification().enabled()) {
      return List.of();
    }
    List<Flows.Flow> out = new java.util.ArrayList<>();
    for (Identity.VerifiableAddress a : identity.verifiableAddresses()) {
      if (a.verified() || !a.via().equals("email")) {
        continue;
      }
      Flows.Flow v = newAddressFlow(VERIFICATION, registration.flavor(), r, registration.returnTo());
      String method = service.verification().use();
      service.sendVerification(v.id(), method, a.value(), baseUrl + "/self-service/verification?flow=" + v.id(),
          selfServiceRequest(r, v));
      ObjectNode j = Flows.copy(v.json());
      j.put("state", "sent_email");
      ObjectNode ui = (ObjectNode) j.path("ui");
      ui.set("nodes", UiNodes.verification(method, "sent_email", a.value(), v.csrfToken(), ""));
      UiNodes.addMessages(ui, List.of(method.equals("code") ? io.ory4j.identity.UiMessage.verificationCodeSent()
          : io.ory4j.identity.UiMessage.verificationLinkSent()), json.mapper());
      out.add(flows.put(v.withJson(j)));
    }
    return out;
  }

  /** Kratos' {@code {"action": "show_verification_ui", "flow": {"id", "verifiable_address", "url"}}}. */
  private ObjectNode showVerificationUi(Flows.Flow v) {
    ObjectNode n = json.object().put("action", "show_verification_ui");
    String address = "";
    for (JsonNode node : v.json().path("ui").path("nodes")) {
      if (node.path("attributes").path("name").asText().equals("email")) {
        address = node.path("attributes").path("value").asText("");
      }
    }
    n.putObject("flow").put("id", v.id().toString()).put("verifiable_address", address).put("url",
        browser != null && v.flavor().equals("browser") ? uiUrl(VERIFICATION, browser) + "?flow=" + v.id()
            : baseUrl + "/self-service/verification/flows?id=" + v.id());
    return n;
  }

  private HttpResponse browserSuccess(HttpRequest r, Flows.Flow f, IdentityService.Login login, boolean identity,
      Flows.@Nullable Flow showVerification) {
    BrowserSettings b = requireBrowser();
    Session s = login.session();
    Cookie session = s == null ? null : Cookie.of(SESSION_COOKIE, Objects.requireNonNull(login.sessionToken()))
        .withSecure(b.secureCookies()).withMaxAge(Duration.between(clock.instant(), s.expiresAt()));
    HttpResponse.Builder res;
    if (wantsJson(r)) {
      ObjectNode out = json.object();
      if (s != null) {
        out.set("session", json.toTree(s));
      }
      if (identity) {
        out.set("identity", json.toTree(login.identity()));
      }
      res = HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
          .body(json.writeBytes(out));
    } else {
      res = HttpResponse.builder(303).header("Location", showVerification != null ? uiUrl(VERIFICATION, b) + "?flow="
          + showVerification.id() : f.returnTo() != null ? f.returnTo() : b.defaultReturnTo().toString());
    }
    if (showVerification != null) {
      res.cookie(csrfCookie(showVerification.csrfToken(), b));
    }
    return session == null ? res.build() : res.cookie(session).build();
  }

  /** The flow and the request facts hooks see, and the peer address throttling counts by. */
  private static io.ory4j.identity.SelfServiceRequest selfServiceRequest(HttpRequest r, Flows.Flow flow) {
    return new io.ory4j.identity.SelfServiceRequest(flow.json(), r.method(), r.url(), r.headers(), r.cookies(),
        r.remoteAddress());
  }

  private HttpResponse browserError(HttpRequest r, Flows.Flow f, ObjectNode failed) {
    flows.put(f.withJson(failed));
    if (wantsJson(r)) {
      return json(400, failed);
    }
    return HttpResponse.redirect(303, uiUrl(f.kind(), requireBrowser()) + "?flow=" + f.id());
  }

  private Optional<Session> sessionOf(HttpRequest r) {
    return r.cookie(SESSION_COOKIE).flatMap(service::whoami);
  }

  private HttpResponse logoutBrowser(HttpRequest r) {
    BrowserSettings b = requireBrowser();
    Session s = sessionOf(r).orElseThrow(() -> new OryException(OryError.of(401,
        "request does not have a valid authentication session").withId("session_inactive")));
    String returnTo = checkedReturnTo(r, b); // Kratos pre-validates return_to when it creates the logout flow
    String token = secrets.nextToken(32);
    logoutTokens.put(token, s.id());
    return json(200, Map.of("logout_token", token, "logout_url", baseUrl + "/self-service/logout?token=" + token
        + (returnTo == null ? "" : "&return_to=" + java.net.URLEncoder.encode(returnTo,
            java.nio.charset.StandardCharsets.UTF_8))));
  }

  private HttpResponse logoutWithToken(HttpRequest r) {
    BrowserSettings b = requireBrowser();
    String token = r.queryParam("token").orElse("");
    UUID linkSession = logoutTokens.get(token);
    // Kratos: a logout token from another browser's session does not log this browser out (logout CSRF)
    if (linkSession != null && sessionOf(r).filter(s -> !s.id().equals(linkSession)).isPresent()) {
      throw new OryException(OryError.of(403, "The requested action was forbidden").withReason("Unable to log out "
          + "because the logout token in the URL query does not match the session cookie."));
    }
    UUID id = logoutTokens.remove(token);
    if (id == null) {
      throw OryException.unauthorized("The provided logout token is invalid or was already used.")
          .withId("session_inactive");
    }
    service.revokeSession(id);
    String returnTo = r.queryParam("return_to").filter(x -> b.allows(safeUri(x))).orElse(b.defaultReturnTo()
        .toString());
    return HttpResponse.builder(303).header("Location", returnTo)
        .cookie(Cookie.delete(SESSION_COOKIE, "/").withSecure(b.secureCookies())).build();
  }

  private static java.net.URI safeUri(String s) {
    try {
      return java.net.URI.create(s);
    } catch (IllegalArgumentException e) {
      return java.net.URI.create("invalid:return-to"); // not absolute with a host: never allowed
    }
  }

  private HttpResponse submitRegistration(HttpRequest r) {
    Flows.Flow flow = flows.require(r.queryParam("flow").orElse(""), "registration");
    JsonNode body = formOrJson(r);
    boolean isBrowser = flow.flavor().equals("browser");
    if (isBrowser) {
      requireCsrf(r, body, flow);
    }
    if (methodOf(body).equals(IdentityService.PASSKEY)) {
      return submitPasskeyRegistration(r, flow, body);
    }
    if (OidcMethod.isOidc(body)) {
      return startOidc(r, flow, body.path("provider").asText(""));
    }
    requirePasswordMethod(body);
    JsonNode traits = body.path("traits");
    try {
      IdentityService.Login login = service.registerWithPassword(null, traits.isObject() ? traits
          : json.object(), body.path("password").asText(""), selfServiceRequest(r, flow));
      flows.remove(flow.id());
      List<Flows.Flow> verifications = verifyNewAddresses(r, flow, login.identity());
      if (isBrowser) {
        Flows.Flow show = service.hooks().registration("password").contains(
            io.ory4j.identity.SelfServiceHooks.Builtin.SHOW_VERIFICATION_UI) && !verifications.isEmpty()
            ? verifications.get(0) : null;
        return browserSuccess(r, flow, login, true, show);
      }
      // without the session hook Kratos answers the identity alone
      ObjectNode out = json.object();
      if (login.session() != null) {
        out.put("session_token", login.sessionToken());
        out.set("session", json.toTree(login.session()));
      }
      out.set("identity", json.toTree(login.identity()));
      if (!verifications.isEmpty()) {
        ArrayNode continueWith = out.putArray("continue_with");
        verifications.forEach(v -> continueWith.add(showVerificationUi(v)));
      }
      return json(200, out);
    } catch (IdentityException e) {
      return firstFactorError(r, flow, e, null, traits);
    } catch (OryException e) {
      ArrayNode nodes = UiNodes.registration(service.schemas(), service.schemas().defaultId(), traits,
          flow.csrfToken());
      if (withValidationMessages(e, nodes)) {
        ObjectNode f = Flows.copy(flow.json());
        ((ObjectNode) f.path("ui")).set("nodes", nodes);
        return isBrowser ? browserError(r, flow, f) : json(400, f);
      }
      throw e;
    }
  }

  private HttpResponse submitLogin(HttpRequest r) {
    Flows.Flow flow = flows.require(r.queryParam("flow").orElse(""), "login");
    JsonNode body = formOrJson(r);
    boolean isBrowser = flow.flavor().equals("browser");
    if (isBrowser) {
      requireCsrf(r, body, flow);
    }
    if (IdentityService.AAL2.equals(flow.json().path("requested_aal").asText())) {
      return submitSecondFactor(r, flow, body);
    }
    String method = methodOf(body);
    if (flow.json().path("refresh").asBoolean(false) && (method.equals(IdentityService.PASSKEY)
        || method.equals(IdentityService.WEBAUTHN))) {
      return submitRefreshWithKey(r, flow, body, method);
    }
    if (method.equals(IdentityService.PASSKEY) && !flow.json().path("refresh").asBoolean(false)) {
      return submitPasskeyLogin(r, flow, body);
    }
    if (method.equals(IdentityService.WEBAUTHN) && !flow.json().path("refresh").asBoolean(false)) {
      return submitPasswordlessLogin(r, flow, body);
    }
    if (flow.json().path("refresh").asBoolean(false) && (method.equals(IdentityService.PASSKEY)
        || method.equals(IdentityService.WEBAUTHN))) {
      return submitRefreshWithKey(r, flow, body, method);
    }
    if (OidcMethod.isOidc(body)) {
      return startOidc(r, flow, body.path("provider").asText(""));
    }
    requirePasswordMethod(body);
    String identifier = body.path("identifier").asText(body.path("password_identifier").asText(""));
    if (flow.json().path("refresh").asBoolean(false)) {
      return submitRefresh(r, flow, body);
    }
    try {
      IdentityService.Login login = service.loginWithPassword(identifier, body.path("password").asText(""),
          selfServiceRequest(r, flow));
      flows.remove(flow.id());
      if (isBrowser) {
        return browserSuccess(r, flow, login, false);
      }
      ObjectNode out = json.object();
      out.put("session_token", login.sessionToken());
      out.set("session", json.toTree(login.session()));
      return json(200, out);
    } catch (IdentityException e) {
      return firstFactorError(r, flow, e, identifier, null);
    }
  }

  /**
   * A refresh flow: the session of the request must belong to the identity the flow was made for (its pre-filled
   * identifier); the right password refreshes that session, keeping its id and token.
   */
  private HttpResponse submitRefresh(HttpRequest r, Flows.Flow flow, JsonNode body) {
    String flowIdentifier = "";
    for (JsonNode n : flow.json().path("ui").path("nodes")) {
      if (n.path("attributes").path("name").asText().equals("identifier")) {
        flowIdentifier = n.path("attributes").path("value").asText("");
      }
    }
    String token = flow.flavor().equals("browser") ? r.cookie(SESSION_COOKIE).orElse("") : sessionToken(r);
    Session current = service.whoami(token).orElseThrow(IdentityApi::noSession);
    if (!service.passwordIdentifiers(current.identityId()).contains(flowIdentifier)) {
      throw OryException.badRequest("This login flow was started for another session; initialize a new one.")
          .withId("session_refresh_identity_mismatch");
    }
    try {
      Session s = service.refreshWithPassword(token, body.path("password").asText(""), selfServiceRequest(r, flow));
      flows.remove(flow.id());
      if (flow.flavor().equals("browser")) {
        return browserSuccess(r, flow, new IdentityService.Login(Objects.requireNonNull(s.identity()), s, token),
            false);
      }
      ObjectNode out = json.object();
      out.put("session_token", token);
      out.set("session", json.toTree(s));
      return json(200, out);
    } catch (IdentityException e) {
      ObjectNode f = Flows.copy(flow.json());
      ObjectNode ui = (ObjectNode) f.path("ui");
      ui.set("messages", json.mapper().createArrayNode());
      UiNodes.addMessages(ui, e.messages(), json.mapper());
      if (flow.flavor().equals("browser")) {
        return browserError(r, flow, f);
      }
      return json(e.status(), f);
    }
  }

  /**
   * A refresh flow answered with a security key ({@code webauthn_login} or {@code passkey_login}): the browser's
   * session is re-authenticated when the key is its identity's; else the flow again with fresh challenges and the
   * reason.
   */
  private HttpResponse submitRefreshWithKey(HttpRequest r, Flows.Flow flow, JsonNode body, String method) {
    String assertion = requireBrowserMethod(flow, method, body.path(method.equals(IdentityService.PASSKEY)
        ? "passkey_login" : "webauthn_login").asText(""));
    String token = r.cookie(SESSION_COOKIE).orElse("");
    Session current = service.whoami(token).orElseThrow(IdentityApi::noSession);
    try {
      if (assertion.isEmpty()) {
        throw new IdentityException(400, io.ory4j.identity.UiMessage.webAuthnRefused("Use the security key button: "
            + "the assertion is empty."));
      }
      Session s = service.refreshWithWebAuthn(token, method, takeChallenge(flow, method).challenge(), assertion,
          selfServiceRequest(r, flow));
      flows.remove(flow.id());
      return browserSuccess(r, flow, new IdentityService.Login(Objects.requireNonNull(s.identity()), s, token),
          false);
    } catch (IdentityException e) {
      Flows.Flow fresh = withRefreshNodes(flows.require(flow.id().toString(), "login"), current.identityId());
      flows.put(fresh);
      ObjectNode f = Flows.copy(fresh.json());
      ObjectNode ui = (ObjectNode) f.path("ui");
      ui.set("messages", json.mapper().createArrayNode());
      UiNodes.addMessages(ui, e.messages(), json.mapper());
      return browserError(r, fresh, f);
    }
  }

  /**
   * Puts the trait validation messages of a 400 (Kratos' 4000001, by JSON pointer) on the nodes they name; false when
   * the error has none.
   */
  private boolean withValidationMessages(OryException e, ArrayNode nodes) {
    if (e.status() != 400 || !(e.error().details().get("messages") instanceof List<?> msgs)) {
      return false;
    }
    for (Object m : msgs) {
      Map<?, ?> mm = (Map<?, ?>) m;
      String ptr = String.valueOf(mm.get("instance_ptr")).replace("#/", "").replace('/', '.');
      for (JsonNode n : nodes) {
        if (n.path("attributes").path("name").asText().equals(ptr)) {
          ((ArrayNode) n.path("messages")).add(json.toTree(Map.of("id", 4000001, "text",
              String.valueOf(mm.get("message")), "type", "error")));
        }
      }
    }
    return true;
  }

  private HttpResponse flowError(HttpRequest r, Flows.Flow flow, IdentityException e, ArrayNode nodes) {
    boolean hasOidc = false;
    for (JsonNode n : nodes) {
      hasOidc |= n.path("group").asText().equals(IdentityService.OIDC);
    }
    if (!hasOidc && !flow.json().path("refresh").asBoolean(false) && !IdentityService.AAL2.equals(flow.json().path(
        "requested_aal").asText())) {
      oidc.appendNodes(flow.kind(), nodes);
    }
    ObjectNode f = Flows.copy(flow.json());
    ObjectNode ui = (ObjectNode) f.path("ui");
    ui.set("nodes", nodes);
    UiNodes.addMessages(ui, e.messages(), json.mapper());
    UiNodes.addFieldMessages(ui, e.fieldMessages(), json.mapper());
    if (flow.flavor().equals("browser")) {
      return browserError(r, flow, f);
    }
    return json(e.status(), f);
  }

  private static void requirePasswordMethod(JsonNode body) {
    String method = body.path("method").asText("");
    if (!method.equals("password")) {
      throw OryException.badRequest("Could not find a strategy to handle the request: method \"" + method
          + "\" is not enabled.").withId("browser_location_change_required".equals(method) ? method : null);
    }
  }

  // ---- webauthn and passkeys (browser flows only, as Kratos' strategies) ----

  /** Where the helper script the webauthn and passkey nodes load is served (Kratos' path). */
  public static final String WEBAUTHN_JS = "/.well-known/ory/webauthn.js";

  private String scriptUrl() {
    return baseUrl + WEBAUTHN_JS;
  }

  private byte[] newChallenge() {
    return secrets.nextBytes(32);
  }

  private Object flowLock(UUID flowId) {
    return flowLocks[Math.floorMod(flowId.hashCode(), flowLocks.length)];
  }

  /**
   * The method of a submission: {@code method}, or as Kratos the one whose own field is filled
   * ({@code webauthn_register}/{@code webauthn_remove}/{@code webauthn_login}, {@code passkey_register}/
   * {@code passkey_remove}/{@code passkey_login}), since the script submits the form without a method button.
   */
  private static String methodOf(JsonNode body) {
    for (String type : List.of(IdentityService.WEBAUTHN, IdentityService.PASSKEY)) {
      for (String f : List.of("_register", "_remove", "_login")) {
        if (!body.path(type + f).asText("").isEmpty()) {
          return type;
        }
      }
    }
    return body.path("method").asText("");
  }

  private static OryException notEnabled(String method) {
    return OryException.badRequest("Could not find a strategy to handle the request: method \"" + method
        + "\" is not enabled.");
  }

  /** The value of a browser-only method's field; an API flow has no such method (Kratos answers the same). */
  private String requireBrowserMethod(Flows.Flow flow, String method, String value) {
    WebAuthnSettings s = method.equals(IdentityService.PASSKEY) ? service.passkey() : service.webAuthn();
    if (!flow.flavor().equals("browser") || !s.enabled()) {
      throw notEnabled(method);
    }
    return value;
  }

  /** The internal context with {@code <method>.session_data} holding a challenge (and what else the step needs). */
  private static ObjectNode withSessionData(ObjectNode ctx, String method, byte[] challenge, ObjectNode extra) {
    ObjectNode c = ctx.deepCopy();
    ObjectNode data = extra.deepCopy();
    data.put("challenge", io.ory4j.identity.internal.WebAuthnCeremonies.base64Url(challenge));
    (c.get(method) instanceof ObjectNode o ? o : c.putObject(method)).set("session_data", data);
    return c;
  }

  /** A challenge taken from a flow, with the session data it was kept with. */
  private record Taken(byte[] challenge, JsonNode sessionData) {}

  /**
   * Takes the flow's open challenge for {@code method}: read again and removed from the stored flow before the
   * answer is verified, under a lock per flow, so a challenge answers one submission only (a replay, or a second
   * concurrent request, finds none or a new one).
   */
  private Taken takeChallenge(Flows.Flow flow, String method) {
    synchronized (flowLock(flow.id())) {
      Flows.Flow current = flows.require(flow.id().toString(), flow.kind());
      JsonNode data = current.internalContext().path(method).path("session_data");
      if (!data.isObject() || !data.hasNonNull("challenge")) {
        throw new IdentityException(400, io.ory4j.identity.UiMessage.webAuthnRefused("This flow has no open WebAuthn "
            + "challenge (it was answered already); use the new one in the flow."));
      }
      ObjectNode ctx = current.internalContext().deepCopy();
      ((ObjectNode) ctx.path(method)).remove("session_data");
      flows.put(current.withInternalContext(ctx));
      byte[] challenge = java.util.Base64.getUrlDecoder().decode(data.path("challenge").asText());
      return new Taken(challenge, data);
    }
  }

  /**
   * The first-factor nodes of a login or registration flow: the password form, and in browser flows Kratos' passkey
   * nodes (a login with a fresh challenge, or the sign-up button) and the passwordless webauthn button.
   */
  private Flows.Flow withFirstFactorNodes(Flows.Flow f, @Nullable String identifier, @Nullable JsonNode traits) {
    boolean login = f.kind().equals("login");
    ArrayNode nodes = login ? UiNodes.login(identifier, f.csrfToken())
        : UiNodes.registration(service.schemas(), service.schemas().defaultId(), traits, f.csrfToken());
    oidc.appendNodes(f.kind(), nodes);
    ObjectNode ctx = f.internalContext();
    if (f.flavor().equals("browser")) {
      if (login && service.webAuthn().enabled() && service.webAuthn().passwordless()) {
        UiNodes.addWebAuthnPasswordlessStart(nodes);
      }
      if (login && service.passkey().enabled()) {
        byte[] c = newChallenge();
        UiNodes.addPasskeyLogin(nodes, json.write(service.passkeyLoginOptions(c)), scriptUrl(), webAuthnJsIntegrity);
        ctx = withSessionData(ctx, IdentityService.PASSKEY, c, json.object());
      } else if (!login && service.passkey().enabled()) {
        UiNodes.addPasskeyRegistrationStart(nodes);
      }
    }
    ObjectNode j = Flows.copy(f.json());
    ((ObjectNode) j.path("ui")).set("nodes", nodes);
    return f.withJson(j).withInternalContext(ctx);
  }

  /** Stores a flow that needs another step and shows it: JSON (200), or the browser back to the UI. */
  private HttpResponse nextStep(HttpRequest r, Flows.Flow f) {
    flows.put(f);
    if (wantsJson(r)) {
      return json(200, f.json());
    }
    return HttpResponse.redirect(303, uiUrl(f.kind(), requireBrowser()) + "?flow=" + f.id());
  }

  /** Kratos' passkey login: {@code passkey_login} answers the flow's discoverable challenge. */
  private HttpResponse submitPasskeyLogin(HttpRequest r, Flows.Flow flow, JsonNode body) {
    String assertion = requireBrowserMethod(flow, IdentityService.PASSKEY, body.path("passkey_login").asText(""));
    if (assertion.isEmpty()) {
      return firstFactorError(r, flow, new IdentityException(400, io.ory4j.identity.UiMessage.webAuthnRefused(
          "Use the passkey button: passkey_login is empty.")), null, null);
    }
    return answerLoginChallenge(r, flow, IdentityService.PASSKEY, null, t -> service.loginWithPasskey(t.challenge(),
        assertion, selfServiceRequest(r, flow)));
  }

  /**
   * Takes the flow's challenge and verifies the answer with {@code verify}: a session on success (the flow is done),
   * else the flow again with fresh nodes and the reason.
   */
  private HttpResponse answerLoginChallenge(HttpRequest r, Flows.Flow flow, String method, @Nullable String identifier,
      java.util.function.Function<Taken, IdentityService.Login> verify) {
    try {
      IdentityService.Login login = verify.apply(takeChallenge(flow, method));
      flows.remove(flow.id());
      return browserSuccess(r, flow, login, false);
    } catch (IdentityException e) {
      return firstFactorError(r, flow, e, identifier, null);
    }
  }

  /** A refused first-factor step: the flow again with fresh first-factor nodes (a new challenge) and the messages. */
  private HttpResponse firstFactorError(HttpRequest r, Flows.Flow flow, IdentityException e,
      @Nullable String identifier, @Nullable JsonNode traits) {
    Flows.Flow fresh = withFirstFactorNodes(flow, identifier, traits);
    return flowError(r, fresh, e, (ArrayNode) fresh.json().path("ui").path("nodes"));
  }

  /**
   * Kratos' passwordless webauthn login, in two steps: {@code identifier} (and {@code method=webauthn}) gives the flow
   * a {@code webauthn_login_trigger} for that identity's passwordless keys; {@code webauthn_login} then answers its
   * challenge. The identifier is bound to the flow between the two.
   */
  private HttpResponse submitPasswordlessLogin(HttpRequest r, Flows.Flow flow, JsonNode body) {
    String assertion = requireBrowserMethod(flow, IdentityService.WEBAUTHN, body.path("webauthn_login").asText(""));
    if (!service.webAuthn().passwordless()) {
      throw notEnabled(IdentityService.WEBAUTHN);
    }
    String identifier = body.path("identifier").asText("").trim();
    try {
      if (assertion.isEmpty()) {
        UUID id = service.webAuthnIdentity(identifier).orElseThrow(() -> new IdentityException(400,
            io.ory4j.identity.UiMessage.noWebAuthnUser()));
        byte[] c = newChallenge();
        ObjectNode options = service.webAuthnLoginOptions(id, true, c);
        Flows.Flow f = withFirstFactorNodes(flow, identifier, null);
        ArrayNode nodes = (ArrayNode) f.json().path("ui").path("nodes");
        UiNodes.addWebAuthnLogin(nodes, json.write(options), scriptUrl(), webAuthnJsIntegrity);
        return nextStep(r, f.withInternalContext(withSessionData(f.internalContext(), IdentityService.WEBAUTHN, c,
            json.object().put("identifier", identifier))));
      }
    } catch (IdentityException e) {
      return firstFactorError(r, flow, e, identifier, null);
    }
    return answerLoginChallenge(r, flow, IdentityService.WEBAUTHN, identifier, t -> service.loginWithWebAuthn(
        t.sessionData().path("identifier").asText(""), t.challenge(), assertion, selfServiceRequest(r, flow)));
  }

  /**
   * Kratos' passkey registration, in two steps: {@code traits} (and {@code method=passkey}) are checked and the flow
   * gets {@code passkey_create_data} for a new user handle; {@code passkey_register} then answers its challenge and
   * the identity is created with that passkey and no password.
   */
  private HttpResponse submitPasskeyRegistration(HttpRequest r, Flows.Flow flow, JsonNode body) {
    String registration = requireBrowserMethod(flow, IdentityService.PASSKEY, body.path("passkey_register")
        .asText(""));
    JsonNode traits = body.path("traits").isObject() ? body.path("traits")
        : flow.internalContext().path(IdentityService.PASSKEY).path("session_data").path("traits");
    try {
      if (registration.isEmpty()) {
        service.schemas().validate(service.schemas().defaultId(), traits);
        String handle = service.newPasskeyUserHandle();
        byte[] c = newChallenge();
        ObjectNode options = service.passkeyRegistrationOptions(handle, service.passkeyUserName(null, traits), c);
        Flows.Flow f = withFirstFactorNodes(flow, null, traits);
        UiNodes.addPasskeyRegistration((ArrayNode) f.json().path("ui").path("nodes"), json.write(options),
            scriptUrl(), webAuthnJsIntegrity);
        ObjectNode extra = json.object().put("user_id", handle);
        extra.set("traits", traits);
        return nextStep(r, f.withInternalContext(withSessionData(f.internalContext(), IdentityService.PASSKEY, c,
            extra)));
      }
      Taken t = takeChallenge(flow, IdentityService.PASSKEY);
      IdentityService.Login login = service.registerWithPasskey(null, traits, t.sessionData().path("user_id")
          .asText(""), t.challenge(), registration, selfServiceRequest(r, flow));
      flows.remove(flow.id());
      List<Flows.Flow> verifications = verifyNewAddresses(r, flow, login.identity());
      Flows.Flow show = service.hooks().registration(IdentityService.PASSKEY).contains(
          io.ory4j.identity.SelfServiceHooks.Builtin.SHOW_VERIFICATION_UI) && !verifications.isEmpty()
          ? verifications.get(0) : null;
      return browserSuccess(r, flow, login, true, show);
    } catch (IdentityException e) {
      return firstFactorError(r, flow, e, null, traits);
    } catch (OryException e) {
      Flows.Flow fresh = withFirstFactorNodes(flow, null, traits);
      ArrayNode nodes = (ArrayNode) fresh.json().path("ui").path("nodes");
      if (withValidationMessages(e, nodes)) {
        return browserError(r, fresh, (ObjectNode) fresh.json());
      }
      throw e;
    }
  }

  /**
   * The webauthn and passkey nodes of a browser settings flow, as Kratos: the keys with their remove buttons, and
   * fresh creation options whose challenge (and a first passkey's user handle) the internal context keeps.
   */
  private Flows.Flow withWebAuthnSettings(Flows.Flow f, UUID identityId) {
    if (!f.flavor().equals("browser") || (!service.webAuthn().enabled() && !service.passkey().enabled())) {
      return f;
    }
    ObjectNode j = Flows.copy(f.json());
    ArrayNode nodes = UiNodes.withoutWebAuthn(j.path("ui").path("nodes"));
    ObjectNode ctx = f.internalContext();
    for (String type : List.of(IdentityService.WEBAUTHN, IdentityService.PASSKEY)) {
      boolean webauthn = type.equals(IdentityService.WEBAUTHN);
      if (!(webauthn ? service.webAuthn() : service.passkey()).enabled()) {
        continue;
      }
      byte[] c = newChallenge();
      ObjectNode options = service.webAuthnRegistrationOptions(identityId, type, c);
      List<UiNodes.KeyView> keys = service.webAuthnKeys(identityId, type).stream().map(k -> new UiNodes.KeyView(
          k.id(), k.displayName(), k.addedAt(), k.removable())).toList();
      if (webauthn) {
        UiNodes.addWebAuthnSettings(nodes, keys, json.write(options), scriptUrl(), webAuthnJsIntegrity);
        ctx = withSessionData(ctx, type, c, json.object());
      } else {
        UiNodes.addPasskeySettings(nodes, keys, json.write(options), scriptUrl(), webAuthnJsIntegrity);
        ctx = withSessionData(ctx, type, c, json.object().put("user_id", options.at("/publicKey/user/id").asText()));
      }
    }
    ((ObjectNode) j.path("ui")).set("nodes", nodes);
    return f.withJson(j).withInternalContext(ctx);
  }

  /**
   * Kratos' settings methods {@code webauthn} and {@code passkey} (browser flows): {@code <method>_remove} removes a
   * key by its hex id; {@code <method>_register} adds the key that answered the flow's challenge. Both need a
   * privileged session.
   */
  private Identity webAuthnSettings(Session s, Flows.Flow flow, String method, JsonNode body) {
    requireBrowserMethod(flow, method, "");
    String remove = body.path(method + "_remove").asText("");
    if (!remove.isEmpty()) {
      return service.removeWebAuthnKey(s, method, remove);
    }
    String registration = body.path(method + "_register").asText("");
    if (registration.isEmpty()) {
      throw OryException.invalidField(method + "_register", "send the authenticator's answer, or " + method
          + "_remove with a key id");
    }
    service.requirePrivileged(s);
    Taken t = takeChallenge(flow, method);
    byte[] offered = t.sessionData().hasNonNull("user_id")
        ? java.util.Base64.getUrlDecoder().decode(t.sessionData().path("user_id").asText()) : null;
    service.addWebAuthnKey(s, method, t.challenge(), registration, body.path(method
        + "_register_displayname").asText(""), offered);
    return service.getIdentity(s.identityId(), false).orElseThrow(IdentityApi::noSession);
  }

  // ---- settings: profile and password ----

  private static final String SETTINGS = "settings";

  /** A settings flow for the session's identity: Kratos' {@code identity} field, {@code state: show_form}. */
  private Flows.Flow newSettingsFlow(String flavor, HttpRequest r, Session s, @Nullable String returnTo) {
    Identity i = service.getIdentity(s.identityId(), false).orElseThrow(IdentityApi::noSession);
    Flows.Flow f = newFlow(SETTINGS, flavor, r, returnTo);
    ObjectNode j = Flows.copy(f.json());
    j.set("identity", json.toTree(i));
    j.put("state", "show_form");
    ((ObjectNode) j.path("ui")).set("nodes", settingsNodes(i, f.csrfToken(), List.of()));
    return flows.put(withWebAuthnSettings(f.withJson(j), i.id()));
  }

  /** {@code selfservice.methods.totp.config.issuer}: the public URL's host, as Kratos' default. */
  private String totpIssuer() {
    String host = java.net.URI.create(baseUrl).getHost();
    return host == null ? "ory4j" : host;
  }

  /** The settings nodes for the identity: a fresh TOTP secret to enrol when none is linked, and new codes if any. */
  private ArrayNode settingsNodes(Identity i, String csrf, List<String> freshCodes) {
    List<String> factors = service.secondFactors(i.id());
    boolean linked = factors.contains(IdentityService.TOTP);
    IdentityService.TotpEnrolment pending = linked ? null : service.startTotpEnrolment(i.id(), totpIssuer());
    ArrayNode nodes = UiNodes.settings(service.schemas(), i.schemaId(), i.traits(), csrf, new UiNodes.SecondFactors(
        linked, pending == null ? null : pending.secret(), factors.contains(IdentityService.LOOKUP_SECRET), freshCodes,
        pending == null ? null : pending.url()));
    oidc.appendSettingsNodes(i.id(), nodes);
    return nodes;
  }

  /** The lookup secrets the flow showed ({@code lookup_secret_codes}), to be stored on confirmation. */
  private static List<String> shownLookupSecrets(Flows.Flow flow) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode n : flow.json().path("ui").path("nodes")) {
      if (n.path("attributes").path("id").asText().equals("lookup_secret_codes")) {
        n.path("attributes").path("text").path("context").path("secrets").forEach(c -> out.add(c.path("text")
            .asText()));
      }
    }
    return out;
  }

  /** The TOTP secret the flow showed ({@code totp_secret_key}), to be confirmed with a code. */
  private static String pendingTotpSecret(Flows.Flow flow) {
    for (JsonNode n : flow.json().path("ui").path("nodes")) {
      if (n.path("attributes").path("id").asText().equals("totp_secret_key")) {
        return n.path("attributes").path("text").path("context").path("secret").asText("");
      }
    }
    return "";
  }

  /**
   * Kratos' settings methods {@code totp} ({@code totp_code} confirms the shown secret; {@code totp_unlink} removes the
   * device) and {@code lookup_secret} ({@code lookup_secret_regenerate} makes new codes, shown once;
   * {@code lookup_secret_disable} removes them); all need a privileged session.
   */
  private Identity secondFactorSettings(Session s, Flows.Flow flow, String method, JsonNode body,
      List<String> freshCodes) {
    service.requirePrivileged(s);
    UUID id = s.identityId();
    if (method.equals(IdentityService.TOTP)) {
      if (body.path("totp_unlink").asBoolean(false) || body.path("totp_unlink").asText("").equals("true")) {
        service.unlinkTotp(id);
      } else {
        String secret = pendingTotpSecret(flow);
        if (secret.isEmpty()) {
          throw OryException.badRequest("This settings flow shows no TOTP secret to confirm; start a new flow.");
        }
        service.confirmTotp(id, service.totpEnrolment(id, totpIssuer(), secret).url(),
            body.path("totp_code").asText("").trim());
      }
    } else if (body.path("lookup_secret_disable").asText("").equals("true")) {
      service.removeLookupSecrets(id);
    } else if (body.path("lookup_secret_regenerate").asText("").equals("true")) {
      freshCodes.addAll(service.newLookupSecrets());
    } else if (body.path("lookup_secret_confirm").asText("").equals("true")) {
      service.storeLookupSecrets(id, shownLookupSecrets(flow));
    } else {
      throw OryException.invalidField("lookup_secret_regenerate", "send lookup_secret_regenerate, "
          + "lookup_secret_confirm or lookup_secret_disable");
    }
    return service.getIdentity(id, false).orElseThrow(IdentityApi::noSession);
  }

  private HttpResponse initSettingsBrowser(HttpRequest r) {
    BrowserSettings b = requireBrowser();
    String returnTo = checkedReturnTo(r, b);
    Optional<Session> s = service.whoami(r.cookie(SESSION_COOKIE).orElse(""));
    if (s.isPresent()) {
      try {
        settingsSession(r);
      } catch (OryException e) {
        if (wantsJson(r) || !"session_aal2_required".equals(e.error().id())) {
          throw e;
        }
        // as Kratos: a browser whose session lacks the second factor is sent to complete it, then back here
        return HttpResponse.redirect(303, baseUrl + "/self-service/login/browser?aal=aal2&return_to="
            + java.net.URLEncoder.encode(r.url(), java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    if (s.isEmpty()) {
      if (wantsJson(r)) {
        throw noSession();
      }
      return HttpResponse.redirect(303, baseUrl + "/self-service/login/browser");
    }
    Flows.Flow f = newSettingsFlow("browser", r, s.get(), returnTo);
    HttpResponse.Builder res = wantsJson(r) ? HttpResponse.builder(200).header("Content-Type",
        "application/json; charset=utf-8").body(json.writeBytes(f.json()))
        : HttpResponse.builder(303).header("Location", uiUrl(SETTINGS, b) + "?flow=" + f.id());
    return res.header("Cache-Control", "private, no-cache, no-store, must-revalidate")
        .cookie(csrfCookie(f.csrfToken(), b)).build();
  }

  /** The flow's nodes after a refused submission: the traits as typed, the same TOTP secret to enrol. */
  private ArrayNode keptNodes(Flows.Flow flow, JsonNode traits) {
    ArrayNode nodes = json.mapper().createArrayNode();
    for (JsonNode n : flow.json().path("ui").path("nodes")) {
      String name = n.path("attributes").path("name").asText("");
      ObjectNode copy = ((ObjectNode) n.deepCopy());
      copy.set("messages", json.mapper().createArrayNode());
      if (name.startsWith("traits.")) {
        JsonNode v = traits;
        for (String part : name.substring(7).split("\\.")) {
          v = v.path(part);
        }
        if (v.isValueNode()) {
          ((ObjectNode) copy.path("attributes")).set("value", v);
        }
      }
      nodes.add(copy);
    }
    return nodes;
  }

  /**
   * The session of a settings request, at {@code selfservice.flows.settings.required_aal}: with Kratos' default
   * {@code highest_available} an aal1 session of an identity with a second factor is 403
   * {@code session_aal2_required}.
   */
  private Session settingsSession(HttpRequest r) {
    try {
      return service.whoami(sessionToken(r), service.settingsRequiredAal()).orElseThrow(IdentityApi::noSession);
    } catch (OryException e) {
      if ("session_aal2_required".equals(e.error().id())) {
        throw e.withDetail("redirect_browser_to", baseUrl + "/self-service/login/browser?aal=aal2");
      }
      throw e;
    }
  }

  /** The flow, when the request's session belongs to the flow's identity (403 otherwise, as Kratos). */
  private Flows.Flow settingsFlowOf(HttpRequest r, Flows.Flow flow) {
    Session s = settingsSession(r);
    if (!flow.json().path("identity").path("id").asText().equals(s.identityId().toString())) {
      throw OryException.forbidden("You must restart the flow because the resumable session was initiated by "
          + "another person.").withId("security_identity_mismatch");
    }
    return flow;
  }

  /**
   * {@code POST /self-service/settings?flow=}: {@code method=profile} with {@code traits}, or {@code method=password}
   * with {@code password}. A sensitive change with a session that is not privileged is Kratos'
   * {@code session_refresh_required}: 403 for the API flavor, a redirect to the refresh login for browsers.
   */
  private HttpResponse submitSettings(HttpRequest r) {
    Flows.Flow flow = flows.require(r.queryParam("flow").orElse(""), SETTINGS);
    JsonNode body = formOrJson(r);
    boolean isBrowser = flow.flavor().equals("browser");
    if (isBrowser) {
      requireCsrf(r, body, flow);
    }
    settingsFlowOf(r, flow);
    Session s = settingsSession(r);
    String method = methodOf(body);
    JsonNode traits = body.path("traits").isObject() ? body.path("traits") : flow.json().path("identity")
        .path("traits");
    List<String> freshCodes = new java.util.ArrayList<>();
    try {
      if (OidcMethod.isOidcSettings(body)) {
        String link = body.path("link").asText("");
        if (!link.isEmpty()) {
          service.requirePrivileged(s);
          return startOidc(r, flow, link);
        }
        return settingsSaved(r, flow, service.unlinkOidc(s, body.path("unlink").asText("")), IdentityService.OIDC,
            List.of());
      }
      Identity updated = switch (method) {
        case "profile" -> service.updateProfile(s, traits, selfServiceRequest(r, flow));
        case "password" -> service.changePassword(s, body.path("password").asText(""), selfServiceRequest(r, flow));
        case IdentityService.TOTP, IdentityService.LOOKUP_SECRET -> secondFactorSettings(s, flow, method, body,
            freshCodes);
        case IdentityService.WEBAUTHN, IdentityService.PASSKEY -> webAuthnSettings(s, flow, method, body);
        default -> throw OryException.badRequest("Could not find a strategy to handle the request: method \""
            + method + "\" is not enabled.");
      };
      return settingsSaved(r, flow, updated, method, freshCodes);
    } catch (IdentityException e) {
      ObjectNode f = Flows.copy(flow.json());
      f.put("active", method);
      ((ObjectNode) f.path("ui")).set("nodes", keptNodes(flow, traits));
      Flows.Flow fresh = withWebAuthnSettings(flow.withJson(f), s.identityId());
      return flowError(r, fresh, e, (ArrayNode) fresh.json().path("ui").path("nodes"));
    } catch (OryException e) {
      String refresh = baseUrl + "/self-service/login/browser?refresh=true&return_to=" + java.net.URLEncoder.encode(
          isBrowser && browser != null ? uiUrl(SETTINGS, browser) + "?flow=" + flow.id() : baseUrl
              + "/self-service/settings/flows?id=" + flow.id(), java.nio.charset.StandardCharsets.UTF_8);
      if ("session_refresh_required".equals(e.error().id())) {
        if (isBrowser && !wantsJson(r)) {
          return HttpResponse.redirect(303, refresh);
        }
        throw e.withDetail("redirect_browser_to", refresh);
      }
      ArrayNode nodes = keptNodes(flow, traits);
      if (withValidationMessages(e, nodes)) {
        ObjectNode f = Flows.copy(flow.json());
        ((ObjectNode) f.path("ui")).set("nodes", nodes);
        return isBrowser ? browserError(r, flow, f) : json(400, f);
      }
      throw e;
    }
  }

  /** A settings flow after a saved change: {@code state: success}, message 1050001, the new nodes. */
  private HttpResponse settingsSaved(HttpRequest r, Flows.Flow flow, Identity updated, String method,
      List<String> freshCodes) {
    ObjectNode f = Flows.copy(flow.json());
    f.put("state", "success");
    f.put("active", method);
    f.set("identity", json.toTree(updated));
    ObjectNode ui = (ObjectNode) f.path("ui");
    ui.set("nodes", settingsNodes(updated, flow.csrfToken(), freshCodes));
    ui.set("messages", json.mapper().createArrayNode());
    UiNodes.addMessages(ui, List.of(new io.ory4j.identity.UiMessage(1050001, "Your changes have been saved!",
        "success", Map.of())), json.mapper());
    Flows.Flow saved = flows.put(withWebAuthnSettings(flow.withJson(f), updated.id()));
    if (flow.flavor().equals("browser") && !wantsJson(r)) {
      return HttpResponse.redirect(303, uiUrl(SETTINGS, requireBrowser()) + "?flow=" + flow.id());
    }
    return json(200, saved.json());
  }

  // ---- social sign-in: Kratos' oidc method (browser flows) ----

  /**
   * Submitting {@code provider} (login, registration) or {@code link} (settings): the browser is sent to the upstream's
   * authorization endpoint (303, or Kratos' 422 {@code browser_location_change_required} to a JSON client), with the
   * sign-in's state kept as a flow bound to a cookie.
   */
  private HttpResponse startOidc(HttpRequest r, Flows.Flow flow, String providerId) {
    if (!flow.flavor().equals("browser")) {
      throw OryException.badRequest("Social sign-in (method oidc) is available in browser flows only.");
    }
    BrowserSettings b = requireBrowser();
    try {
      OidcMethod.Start start = oidc.start(flow, providerId);
      flows.put(start.state());
      Cookie binding = Cookie.of(OidcMethod.STATE_COOKIE, start.state().csrfToken()).withSecure(b.secureCookies())
          .withPath("/self-service/methods/oidc/callback").withMaxAge(flows.lifespan());
      if (wantsJson(r)) {
        ObjectNode out = json.object();
        out.putObject("error").put("id", "browser_location_change_required").put("code", 422)
            .put("status", "Unprocessable Entity").put("reason", "In order to complete this flow please redirect the "
                + "browser to: " + start.redirect()).put("message", "browser location change required");
        out.put("redirect_browser_to", start.redirect().toString());
        return HttpResponse.builder(422).header("Content-Type", "application/json; charset=utf-8")
            .body(json.writeBytes(out)).cookie(binding).build();
      }
      return HttpResponse.builder(303).header("Location", start.redirect().toString()).cookie(binding).build();
    } catch (IdentityException e) {
      return flowError(r, flow, e, currentNodes(flow));
    }
  }

  /** The flow's nodes as they are (messages cleared), to show a method's error. */
  private ArrayNode currentNodes(Flows.Flow flow) {
    ArrayNode nodes = json.mapper().createArrayNode();
    for (JsonNode n : flow.json().path("ui").path("nodes")) {
      ObjectNode copy = (ObjectNode) n.deepCopy();
      copy.set("messages", json.mapper().createArrayNode());
      nodes.add(copy);
    }
    return nodes;
  }

  /**
   * Kratos' {@code /self-service/methods/oidc/callback/{provider}}: checks the state and its cookie, exchanges the code,
   * verifies the ID token, then signs in (a known subject), registers (an unknown one, also from a login flow) or
   * links (settings). Failures, the upstream's errors included, come back as messages on the flow.
   */
  private HttpResponse oidcCallback(HttpRequest r) {
    BrowserSettings b = requireBrowser();
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : List.of("state", "code", "error", "error_description")) {
      r.queryParam(name).or(() -> r.method().equals("POST") ? r.formParam(name) : Optional.empty())
          .ifPresent(v -> params.put(name, v));
    }
    Flows.Flow state;
    try {
      state = flows.require(params.getOrDefault("state", ""), OidcMethod.STATE_KIND);
    } catch (OryException e) {
      throw OryException.badRequest("The OpenID Connect callback has no valid state: the sign-in expired, was used "
          + "already, or was not started here; start it again.").withReason(e.error().reason());
    }
    if (!ConstantTime.equals(r.cookie(OidcMethod.STATE_COOKIE).orElse(null), state.csrfToken())) {
      throw csrfViolation();
    }
    flows.remove(state.id());
    OidcMethod.Pending pending = OidcMethod.pending(state);
    if (!pending.provider().equals(r.pathParam("provider").orElse(""))) {
      throw OryException.badRequest("The OpenID Connect callback is for another provider than the sign-in started.");
    }
    Flows.Flow flow = flows.require(pending.flowId().toString(), pending.kind());
    Cookie clear = Cookie.delete(OidcMethod.STATE_COOKIE, "/self-service/methods/oidc/callback")
        .withSecure(b.secureCookies());
    HttpResponse res;
    try {
      OidcMethod.SignedIn signedIn = oidc.finish(pending, params);
      res = switch (flow.kind()) {
        case SETTINGS -> {
          Session s = settingsSession(r);
          yield settingsSaved(r, flow, service.linkOidc(s, pending.provider(), signedIn.subject()),
              IdentityService.OIDC, List.of());
        }
        default -> flow.json().path("refresh").asBoolean(false) ? oidcRefresh(r, flow, pending.provider(), signedIn)
            : oidcLoginOrRegister(r, flow, pending.provider(), signedIn);
      };
    } catch (IdentityException e) {
      res = flowError(r, flow, e, flow.kind().equals(SETTINGS) ? settingsNodes(service.getIdentity(
          settingsSession(r).identityId(), false).orElseThrow(IdentityApi::noSession), flow.csrfToken(), List.of())
          : currentNodes(flow));
    }
    return res.toBuilder().cookie(clear).build();
  }

  /** A refresh login finished by social sign-in: the browser's session, re-authenticated by its linked account. */
  private HttpResponse oidcRefresh(HttpRequest r, Flows.Flow flow, String provider, OidcMethod.SignedIn signedIn) {
    String token = r.cookie(SESSION_COOKIE).orElse("");
    Session s = service.refreshWithOidc(token, provider, signedIn.subject(), selfServiceRequest(r, flow));
    flows.remove(flow.id());
    return browserSuccess(r, flow, new IdentityService.Login(Objects.requireNonNull(s.identity()), s, token), false);
  }

  private HttpResponse oidcLoginOrRegister(HttpRequest r, Flows.Flow flow, String provider,
      OidcMethod.SignedIn signedIn) {
    Optional<Identity> known = service.findByOidcSubject(provider, signedIn.subject());
    if (known.isPresent()) {
      IdentityService.Login login = service.loginWithOidc(known.get(), selfServiceRequest(r, flow));
      flows.remove(flow.id());
      return browserSuccess(r, flow, login, flow.kind().equals("registration"));
    }
    JsonNode traits = oidc.traits(provider, signedIn.claims());
    IdentityService.Login login;
    try {
      login = service.registerWithOidc(null, traits, provider, signedIn.subject(), selfServiceRequest(r, flow));
    } catch (IdentityException e) {
      throw e;
    } catch (OryException e) {
      if (e.error().code() != 400) {
        throw e;
      }
      throw new IdentityException(400, new io.ory4j.identity.UiMessage(4000001, "The profile from \"" + provider
          + "\" does not fit this site's identity schema: " + (e.error().reason() == null ? e.error().message()
          : e.error().reason()), "error", Map.of("provider", provider)));
    }
    flows.remove(flow.id());
    List<Flows.Flow> verifications = verifyNewAddresses(r, flow, login.identity());
    Flows.Flow show = service.hooks().registration(IdentityService.OIDC).contains(
        io.ory4j.identity.SelfServiceHooks.Builtin.SHOW_VERIFICATION_UI) && !verifications.isEmpty()
        ? verifications.get(0) : null;
    return browserSuccess(r, flow, login, true, show);
  }

  // ---- verification and recovery: flows that send a code or a link to an address ----

  private static final String VERIFICATION = "verification";
  private static final String RECOVERY = "recovery";

  private io.ory4j.identity.CodeFlowSettings settingsOf(String kind) {
    return kind.equals(RECOVERY) ? service.recovery() : service.verification();
  }

  private void requireEnabled(String kind) {
    if (!settingsOf(kind).enabled()) {
      throw OryException.badRequest((kind.equals(RECOVERY) ? "Recovery" : "Verification")
          + " is not allowed because it was disabled.").withId("self_service_flow_disabled");
    }
  }

  /**
   * A verification or recovery flow with Kratos' fields: {@code active} (the method), {@code state}, the UI to
   * choose.
   */
  private Flows.Flow newAddressFlow(String kind, String flavor, HttpRequest r, @Nullable String returnTo) {
    requireEnabled(kind);
    Flows.Flow f = newFlow(kind, flavor, r, returnTo);
    ObjectNode j = Flows.copy(f.json());
    String method = settingsOf(kind).use();
    j.put("active", method);
    j.put("state", "choose_method");
    ((ObjectNode) j.path("ui")).set("nodes", UiNodes.verification(method, "choose_method", "", f.csrfToken(), ""));
    return flows.put(f.withJson(j));
  }

  private HttpResponse initAddressBrowser(String kind, HttpRequest r) {
    BrowserSettings b = requireBrowser();
    Flows.Flow f = newAddressFlow(kind, "browser", r, checkedReturnTo(r, b));
    HttpResponse.Builder res = wantsJson(r) ? HttpResponse.builder(200).header("Content-Type",
        "application/json; charset=utf-8").body(json.writeBytes(f.json()))
        : HttpResponse.builder(303).header("Location", uiUrl(kind, b) + "?flow=" + f.id());
    return res.header("Cache-Control", "private, no-cache, no-store, must-revalidate")
        .cookie(csrfCookie(f.csrfToken(), b)).build();
  }

  /** Where the {@code Continue} link of a finished flow goes: its return_to, or the default return URL. */
  private String continueUrl(Flows.Flow flow) {
    return flow.returnTo() != null ? flow.returnTo() : browser != null ? browser.defaultReturnTo().toString()
        : baseUrl + "/";
  }

  /**
   * {@code POST /self-service/{verification|recovery}?flow=}: with {@code email}, sends a code or link (the same
   * answer whether an identity has the address or not); with {@code code}, verifies or recovers.
   */
  private HttpResponse submitAddressFlow(String kind, HttpRequest r) {
    requireEnabled(kind);
    Flows.Flow flow = flows.require(r.queryParam("flow").orElse(""), kind);
    JsonNode body = formOrJson(r);
    if (flow.flavor().equals("browser") && !flow.csrfToken().isEmpty()) {
      requireCsrf(r, body, flow);
    }
    String method = flow.json().path("active").asText();
    if (!method.equals(body.path("method").asText(""))) {
      throw OryException.badRequest("Could not find a strategy to handle the request: method \""
          + body.path("method").asText("") + "\" is not enabled.");
    }
    if (flow.json().path("state").asText().equals("passed_challenge")) {
      return addressOutcome(r, flow, "passed_challenge", "", List.of(kind.equals(RECOVERY)
          ? io.ory4j.identity.UiMessage.error(4060001, "The request was already completed successfully and can not "
              + "be retried.") : io.ory4j.identity.UiMessage.error(4070002, "The request was already completed "
              + "successfully and can not be retried.")), 400, null);
    }
    String code = body.path("code").asText("");
    if (method.equals("code") && !code.isEmpty()) {
      return completeAddressFlow(kind, r, flow, false, code);
    }
    String email = body.path("email").asText("").trim();
    if (email.isEmpty()) {
      return addressOutcome(r, flow, flow.json().path("state").asText(), "", List.of(new io.ory4j.identity
          .UiMessage(4000002, "Property email is missing.", "error", Map.of("property", "email"))), 400, null);
    }
    String flowUrl = baseUrl + "/self-service/" + kind + "?flow=" + flow.id();
    io.ory4j.identity.SelfServiceRequest req = selfServiceRequest(r, flow);
    if (kind.equals(RECOVERY)) {
      service.sendRecovery(flow.id(), method, email, flowUrl, req);
    } else {
      service.sendVerification(flow.id(), method, email, flowUrl, req);
    }
    boolean byCode = method.equals("code");
    return addressOutcome(r, flow, "sent_email", email, List.of(kind.equals(RECOVERY)
        ? (byCode ? io.ory4j.identity.UiMessage.recoveryCodeSent() : io.ory4j.identity.UiMessage.recoveryLinkSent())
        : (byCode ? io.ory4j.identity.UiMessage.verificationCodeSent()
            : io.ory4j.identity.UiMessage.verificationLinkSent())), 200, null);
  }

  /**
   * {@code GET /self-service/{verification|recovery}?flow=&token=} (the link strategy's email) or {@code ?flow=&code=}
   * (the code email's link): completes the flow, then shows it (a browser is sent on).
   */
  private HttpResponse addressFlowLink(String kind, HttpRequest r) {
    requireEnabled(kind);
    String token = r.queryParam("token").orElse("");
    String code = r.queryParam("code").orElse("");
    Flows.Flow flow = flows.require(r.queryParam("flow").orElse(""), kind);
    if (!token.isEmpty() || !code.isEmpty()) {
      return completeAddressFlow(kind, r, flow, !token.isEmpty(), token.isEmpty() ? code : token);
    }
    return browser != null && flow.flavor().equals("browser")
        ? HttpResponse.redirect(303, uiUrl(kind, browser) + "?flow=" + flow.id())
        : json(200, flow.json());
  }

  /** Uses a code or token: verification marks the address verified, recovery signs the identity in. */
  private HttpResponse completeAddressFlow(String kind, HttpRequest r, Flows.Flow flow, boolean byToken,
      String secret) {
    try {
      IdentityService.Login login = null;
      if (kind.equals(RECOVERY)) {
        io.ory4j.identity.SelfServiceRequest req = selfServiceRequest(r, flow);
        login = byToken ? service.recoverWithToken(secret, req).getValue()
            : service.recoverWithCode(flow.id(), secret, req);
      } else if (byToken) {
        service.verifyWithToken(secret, selfServiceRequest(r, flow));
      } else {
        service.verifyWithCode(flow.id(), secret, selfServiceRequest(r, flow));
      }
      return addressOutcome(r, flow, "passed_challenge", "", List.of(kind.equals(RECOVERY)
          ? io.ory4j.identity.UiMessage.recoverySuccessful(15.0) : io.ory4j.identity.UiMessage
              .verificationSuccessful()), 200, login);
    } catch (IdentityException e) {
      String state = flow.json().path("state").asText();
      return addressOutcome(r, flow, state.equals("choose_method") ? "sent_email" : state, "", e.messages(), 400,
          null);
    }
  }

  /**
   * Stores the flow in its new state with its messages and answers: JSON, or the browser back to the UI. A recovery
   * that signed the identity in continues, as Kratos, in a new settings flow: Kratos' {@code continue_with}
   * {@code set_ory_session_token} (API flavor) and {@code show_settings_ui}; a browser gets the session cookie and is
   * sent to the settings UI with that flow.
   */
  private HttpResponse addressOutcome(HttpRequest r, Flows.Flow flow, String state, String email,
      List<io.ory4j.identity.UiMessage> messages, int status, IdentityService.@Nullable Login login) {
    ObjectNode f = Flows.copy(flow.json());
    f.put("state", state);
    ObjectNode ui = (ObjectNode) f.path("ui");
    ui.set("nodes", UiNodes.verification(f.path("active").asText(), state, email, flow.csrfToken(),
        continueUrl(flow)));
    ui.set("messages", json.mapper().createArrayNode());
    UiNodes.addMessages(ui, messages, json.mapper());
    flows.put(flow.withJson(f));
    boolean isBrowser = flow.flavor().equals("browser") && browser != null;
    if (login != null && login.sessionToken() != null) {
      // as Kratos, a recovery continues in a settings flow of the new (privileged) session
      Session session = Objects.requireNonNull(login.session());
      Flows.Flow settings = newSettingsFlow(flow.flavor(), r, session, flow.returnTo());
      ArrayNode continueWith = f.putArray("continue_with");
      if (!isBrowser) {
        continueWith.addObject().put("action", "set_ory_session_token").put("ory_session_token", login.sessionToken());
      }
      ObjectNode show = continueWith.addObject().put("action", "show_settings_ui");
      show.putObject("flow").put("id", settings.id().toString()).put("url", isBrowser
          ? uiUrl(SETTINGS, browser) + "?flow=" + settings.id() : baseUrl + "/self-service/settings/flows?id="
              + settings.id());
      flows.put(flow.withJson(f));
      if (isBrowser) {
        HttpResponse.Builder res = wantsJson(r) ? HttpResponse.builder(200).header("Content-Type",
            "application/json; charset=utf-8").body(json.writeBytes(f))
            : HttpResponse.builder(303).header("Location", uiUrl(SETTINGS, browser) + "?flow=" + settings.id());
        return res.cookie(Cookie.of(SESSION_COOKIE, login.sessionToken()).withSecure(browser.secureCookies())
            .withMaxAge(Duration.between(clock.instant(), session.expiresAt())))
            .cookie(csrfCookie(settings.csrfToken(), browser)).build();
      }
    }
    if (isBrowser && !wantsJson(r)) {
      return HttpResponse.redirect(303, uiUrl(flow.kind(), browser) + "?flow=" + flow.id());
    }
    return json(status, f);
  }

  /**
   * Kratos' {@code POST /admin/recovery/code} ({@code byCode}) and {@code /admin/recovery/link}:
   * {@code {"identity_id": ..., "expires_in": "1h"}} makes a browser recovery flow for the identity (it needs no CSRF
   * cookie, as Kratos' admin flows) and answers {@code recovery_link} (and {@code recovery_code}) with
   * {@code expires_at}.
   */
  private HttpResponse adminRecovery(HttpRequest r, boolean byCode) {
    requireEnabled(RECOVERY);
    JsonNode b = json.readTree(r.body());
    UUID identityId;
    try {
      identityId = UUID.fromString(b.path("identity_id").asText(""));
    } catch (IllegalArgumentException e) {
      throw OryException.invalidField("identity_id", "must be an identity id");
    }
    Duration expiresIn;
    try {
      expiresIn = b.hasNonNull("expires_in") ? io.ory4j.core.config.GoDuration.parse(b.get("expires_in").asText())
          : flows.lifespan();
    } catch (IllegalArgumentException e) {
      throw OryException.invalidField("expires_in", "must be a duration such as 1h");
    }
    if (expiresIn.isNegative() || expiresIn.isZero()) {
      throw OryException.invalidField("expires_in", "must be positive");
    }
    service.getIdentity(identityId, false).orElseThrow(() -> OryException.notFound("Unable to locate the resource")
        .withReason("identity " + identityId + " does not exist"));
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    ObjectNode j = json.object();
    j.put("id", id.toString());
    j.put("type", "browser");
    j.put("expires_at", now.plus(expiresIn).toString());
    j.put("issued_at", now.toString());
    j.put("request_url", baseUrl + "/self-service/recovery/browser");
    j.put("active", byCode ? "code" : "link");
    j.put("state", "sent_email");
    ObjectNode ui = j.putObject("ui");
    ui.put("action", baseUrl + "/self-service/recovery?flow=" + id);
    ui.put("method", "POST");
    ui.set("nodes", UiNodes.verification(byCode ? "code" : "link", byCode ? "sent_email" : "choose_method", "", "",
        ""));
    ui.putArray("messages");
    Flows.Flow flow = flows.put(new Flows.Flow(id, RECOVERY, "browser", j, now.plus(expiresIn), "", null));
    String secret = service.createRecoveryCode(identityId, flow.id(), byCode, expiresIn);
    ObjectNode out = json.object();
    out.put("recovery_link", baseUrl + "/self-service/recovery?flow=" + id + (byCode ? "" : "&token=" + secret));
    if (byCode) {
      out.put("recovery_code", secret);
    }
    out.put("expires_at", now.plus(expiresIn).toString());
    return json(byCode ? 201 : 200, out);
  }

  /** {@code GET /admin/courier/messages}: Kratos' list, with {@code status} and {@code recipient} filters. */
  private HttpResponse courierMessages(HttpRequest r) {
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null), r.queryParam("page_token")
        .orElse(null));
    String status = r.queryParam("status").filter(x -> !x.isEmpty()).orElse(null);
    if (status != null && !io.ory4j.identity.CourierMessage.STATUSES.contains(status)) {
      throw OryException.invalidField("status", "must be queued, processing, sent or abandoned");
    }
    String recipient = r.queryParam("recipient").filter(x -> !x.isEmpty()).orElse(null);
    Page<io.ory4j.identity.CourierMessage> p = service.courier().messages(page, status, recipient);
    Map<String, String> q = new LinkedHashMap<>();
    if (status != null) {
      q.put("status", status);
    }
    if (recipient != null) {
      q.put("recipient", recipient);
    }
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader("/admin/courier/messages", q, page.pageSize(), p))
        .body(json.writeBytes(p.items())).build();
  }

  private JsonNode formOrJson(HttpRequest r) {
    if (r.contentType().filter("application/x-www-form-urlencoded"::equals).isPresent()) {
      ObjectNode n = json.object();
      // traits.a.b=x nests into {"traits":{"a":{"b":x}}}; a field that is both a value and an object
      // (traits=x&traits.a=y) is refused rather than one silently overwriting the other
      r.form().forEach((k, v) -> {
        if (k.startsWith("traits.")) {
          ObjectNode t = objectAt(n, "traits", k);
          String[] path = k.substring(7).split("\\.", -1);
          for (int i = 0; i < path.length - 1; i++) {
            t = objectAt(t, path[i], k);
          }
          if (t.get(path[path.length - 1]) instanceof ObjectNode) {
            throw formConflict(k);
          }
          t.put(path[path.length - 1], v.get(0));
        } else {
          if (n.get(k) instanceof ObjectNode) {
            throw formConflict(k);
          }
          n.put(k, v.get(0));
        }
      });
      return n;
    }
    return json.readTree(r.body());
  }

  private static ObjectNode objectAt(ObjectNode parent, String name, String field) {
    JsonNode child = parent.get(name);
    if (child == null) {
      return parent.putObject(name);
    }
    if (child instanceof ObjectNode o) {
      return o;
    }
    throw formConflict(field);
  }

  private static OryException formConflict(String field) {
    return OryException.invalidField(field, "the form sets this field both as a value and as an object");
  }

  private static JsonNode requireTraits(JsonNode b) {
    JsonNode t = b.get("traits");
    if (t == null || !t.isObject()) {
      throw OryException.invalidField("traits", "must be a JSON object");
    }
    return t;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static UUID uuid(String s) {
    try {
      return UUID.fromString(s);
    } catch (IllegalArgumentException e) {
      throw OryException.notFound("Unable to locate the resource").withReason("\"" + s + "\" is not a valid id");
    }
  }

  private static String decodeSchemaId(String id) {
    try {
      return new String(java.util.Base64.getUrlDecoder().decode(id), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return id;
    }
  }

  private HttpResponse json(int status, Object body) {
    return HttpResponse.builder(status).header("Content-Type", "application/json; charset=utf-8")
        .header("Cache-Control", "private, no-cache, no-store, must-revalidate").body(json.writeBytes(body)).build();
  }


}
