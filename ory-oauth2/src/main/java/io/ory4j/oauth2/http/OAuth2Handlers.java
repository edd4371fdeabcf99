package io.ory4j.oauth2.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OAuth2ErrorRenderer;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.keys.KeyAlgorithm;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PaginationLinks;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.RejectRequest;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.internal.TrustRelationships;
import io.ory4j.oauth2.internal.LenientJson;
import io.ory4j.oauth2.internal.Scopes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider's endpoints on Hydra's v2 paths. Public OAuth 2.0 endpoints render RFC 6749 errors; the admin API
 * renders OAuth 2.0 errors for clients and introspection (as Hydra's {@code errorOAuth2}) and Ory's error JSON for
 * the rest.
 */
public final class OAuth2Handlers {

  private static final String TRUST_PATH = "/admin/trust/grants/jwt-bearer/issuers";

  private final OAuth2Provider provider;
  private final OryJson json;
  private final OAuth2ErrorRenderer oauth2Errors;
  private final OryErrorRenderer oryErrors;

  public OAuth2Handlers(OAuth2Provider provider, OryJson json) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.json = Objects.requireNonNull(json, "json");
    this.oauth2Errors = new OAuth2ErrorRenderer(json);
    this.oryErrors = new OryErrorRenderer(json);
  }

  /** Ory's {@code /health/alive} and {@code /health/ready} (ready when the client store answers). */
  private Router health() {
    return new io.ory4j.core.http.HealthHandlers(json, Map.of("storage", () -> {
      provider.getClient(new ClientId("ory4j-readiness-probe"));
      return null;
    })).router();
  }

  /** The public routes. */
  public Router publicRouter() {
    return Router.builder(oauth2Errors)
        .mount(health())
        .get("/oauth2/auth", provider::authorize)
        .post("/oauth2/auth", provider::authorize)
        .post("/oauth2/token", this::token)
        .post("/oauth2/device/auth", r -> noStore(HttpResponse.json(200, json.writeBytes(
            provider.deviceAuthorization(r)))))
        .get("/oauth2/device/verify", provider::deviceVerify)
        .post("/oauth2/register", r -> registered(201, provider.registerClient(registrationBody(r))))
        .get("/oauth2/register/{id}", r -> registered(200, provider.registeredClient(r.pathParam("id").orElseThrow(),
            bearer(r))))
        .put("/oauth2/register/{id}", r -> registered(200, provider.updateRegisteredClient(
            r.pathParam("id").orElseThrow(), bearer(r), registrationBody(r))))
        .delete("/oauth2/register/{id}", r -> {
          provider.deleteRegisteredClient(r.pathParam("id").orElseThrow(), bearer(r));
          return HttpResponse.noContent();
        })
        .post("/oauth2/par", r -> noStore(HttpResponse.json(201, json.writeBytes(
            provider.pushAuthorizationRequest(r)))))
        .post("/oauth2/revoke", r -> {
          provider.revoke(r);
          return HttpResponse.builder(200).build();
        })
        .get("/userinfo", this::userinfo)
        .post("/userinfo", this::userinfo)
        .get("/.well-known/openid-configuration", r -> HttpResponse.json(200, json.writeBytes(provider.discovery())))
        .get("/.well-known/jwks.json", r -> HttpResponse.json(200,
            json.writeBytes(provider.publicKeys().toJSONObject(true))))
        .get("/oauth2/sessions/logout", provider::logout)
        .post("/oauth2/sessions/logout", provider::logout)
        .build();
  }

  /** The JSON body of a registration request; a 404 first when dynamic registration is off. */
  private JsonNode registrationBody(HttpRequest r) {
    if (!provider.dynamicClientRegistrationEnabled()) {
      throw OryException.notFound("Dynamic registration is not enabled.");
    }
    return json.readTree(r.body());
  }

  /** The token of {@code Authorization: Bearer}, or null. */
  private static @Nullable String bearer(HttpRequest r) {
    String auth = r.header("Authorization").orElse("");
    return auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
  }

  /** A registration answer (RFC 7591 section 3.2.1): the client JSON, its secrets when shown, and where it lives. */
  private HttpResponse registered(int status, io.ory4j.oauth2.RegisteredClient c) {
    ObjectNode node = (ObjectNode) json.toTree(c.client());
    // RFC 7591 section 3.2.1: an unset field is left out, never sent as an empty string (clients such as Nimbus
    // refuse "client_uri": "")
    List<String> unset = new java.util.ArrayList<>();
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isNull() || (e.getValue().isTextual() && e.getValue().asText().isEmpty())) {
        unset.add(e.getKey());
      }
    });
    node.remove(unset);
    if (c.client().metadata().isEmpty()) {
      node.remove("metadata");
    }
    if (c.secret() != null) {
      node.put("client_secret", c.secret());
    }
    node.put("client_secret_expires_at", 0);
    if (c.registrationAccessToken() != null) {
      node.put("registration_access_token", c.registrationAccessToken());
    }
    node.put("registration_client_uri", c.registrationClientUri());
    HttpResponse.Builder b = HttpResponse.builder(status).header("Content-Type", "application/json; charset=utf-8")
        .header("Cache-Control", "no-store").header("Pragma", "no-cache").body(json.writeBytes(node));
    if (status == 201) {
      b.header("Location", c.registrationClientUri());
    }
    return b.build();
  }

  private static HttpResponse noStore(HttpResponse r) {
    return r.toBuilder().header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
  }

  /** The token endpoint; with DPoP nonces required, every answer carries a fresh {@code DPoP-Nonce}. */
  private HttpResponse token(HttpRequest r) {
    try {
      return withNonce(noStore(HttpResponse.json(200, json.writeBytes(provider.token(r)))));
    } catch (OAuth2Exception e) {
      return withNonce(oauth2Errors.render(e, r));
    }
  }

  private String userCode(HttpRequest r) {
    if (r.body().length == 0) {
      throw OryException.badRequest("The request body must be a JSON object with 'user_code'.");
    }
    com.fasterxml.jackson.databind.JsonNode body = json.readTree(r.body());
    if (body == null || !body.path("user_code").isTextual()) {
      throw OryException.badRequest("The request body must be a JSON object with 'user_code'.");
    }
    return body.get("user_code").asText();
  }

  private HttpResponse withNonce(HttpResponse r) {
    String nonce = provider.dpopNonce();
    return nonce == null ? r : r.toBuilder().header("DPoP-Nonce", nonce).build();
  }

  private HttpResponse userinfo(HttpRequest r) {
    try {
      return HttpResponse.json(200, json.writeBytes(provider.userinfo(r)));
    } catch (OAuth2Exception e) {
      HttpResponse res = withNonce(oauth2Errors.render(e, r));
      if (!r.header("Authorization").orElse("").regionMatches(true, 0, "DPoP ", 0, 5)) {
        return res;
      }
      OAuth2Error o = e.toOAuth2Error();
      return res.toBuilder().header("WWW-Authenticate", "DPoP algs=\"" + String.join(" ",
          io.ory4j.oauth2.internal.DpopProofs.ALGORITHMS) + "\", error=\"" + o.error() + "\", error_description=\""
          + o.description().replace("\"", "'") + "\"").build();
    }
  }


  /** The admin routes. */
  public Router adminRouter() {
    return Router.builder(oryErrors)
        .mount(health())
        .route("POST", "/admin/clients", this::createClient, oauth2Errors)
        .route("GET", "/admin/clients", this::listClients, oauth2Errors)
        .route("GET", "/admin/clients/{id}", r -> clientJson(200,
            provider.getClient(id(r)).orElseThrow(OAuth2Handlers::clientNotFound), null), oauth2Errors)
        .route("PUT", "/admin/clients/{id}", this::replaceClient, oauth2Errors)
        .route("PATCH", "/admin/clients/{id}", r -> created(200,
            provider.patchClient(id(r), json.readTree(r.body()))), oauth2Errors)
        .route("DELETE", "/admin/clients/{id}", r -> {
          if (!provider.deleteClient(id(r))) {
            throw clientNotFound();
          }
          return HttpResponse.noContent();
        }, oauth2Errors)
        .route("POST", TRUST_PATH, r -> {
          TrustedJwtGrantIssuer t = provider.trustJwtGrantIssuer(json.readTree(r.body()));
          return HttpResponse.builder(201).header("Content-Type", "application/json; charset=utf-8")
              .header("Location", TRUST_PATH + "/" + t.id()).body(json.writeBytes(TrustRelationships.toJson(t)))
              .build();
        }, oauth2Errors)
        .route("GET", TRUST_PATH, this::listTrust, oauth2Errors)
        .route("GET", TRUST_PATH + "/{id}", r -> HttpResponse.json(200, json.writeBytes(TrustRelationships.toJson(
            provider.trustedJwtGrantIssuer(r.pathParam("id").orElseThrow())))), oauth2Errors)
        .route("DELETE", TRUST_PATH + "/{id}", r -> {
          provider.deleteTrustedJwtGrantIssuer(r.pathParam("id").orElseThrow());
          return HttpResponse.noContent();
        }, oauth2Errors)
        .route("POST", "/admin/oauth2/introspect", r -> HttpResponse.json(200, json.writeBytes(
            provider.introspect(required(r.formParam("token").orElse(null), "token"),
                Scopes.split(r.formParam("scope").orElse(null))))), oauth2Errors)
        .route("DELETE", "/admin/oauth2/tokens", r -> {
          provider.deleteClientTokens(clientParam(required(r.queryParam("client_id").orElse(null), "client_id"),
              "client_id"));
          return HttpResponse.noContent();
        }, oauth2Errors)
        .get("/admin/oauth2/auth/requests/login", r -> ok(provider.loginRequest(challenge(r, "login_challenge"))))
        .put("/admin/oauth2/auth/requests/login/accept", r -> ok(provider.acceptLogin(challenge(r, "login_challenge"),
            body(r, AcceptLogin.class))))
        .put("/admin/oauth2/auth/requests/login/reject", r -> ok(provider.rejectLogin(challenge(r, "login_challenge"),
            body(r, RejectRequest.class))))
        .get("/admin/oauth2/auth/requests/consent", r -> ok(provider.consentRequest(
            challenge(r, "consent_challenge"))))
        .put("/admin/oauth2/auth/requests/consent/accept", r -> ok(provider.acceptConsent(
            challenge(r, "consent_challenge"), body(r, AcceptConsent.class))))
        .put("/admin/oauth2/auth/requests/consent/reject", r -> ok(provider.rejectConsent(
            challenge(r, "consent_challenge"), body(r, RejectRequest.class))))
        .put("/admin/oauth2/auth/requests/device/accept", r -> ok(provider.acceptDeviceRequest(
            challenge(r, "device_challenge"), userCode(r))))
        .get("/admin/oauth2/auth/requests/logout", r -> ok(provider.logoutRequest(challenge(r, "logout_challenge"))))
        .put("/admin/oauth2/auth/requests/logout/accept", r -> ok(provider.acceptLogout(
            challenge(r, "logout_challenge"))))
        .put("/admin/oauth2/auth/requests/logout/reject", r -> {
          provider.rejectLogout(challenge(r, "logout_challenge"));
          return HttpResponse.noContent();
        })
        .get("/admin/oauth2/auth/sessions/consent", this::consentSessions)
        .delete("/admin/oauth2/auth/sessions/consent", r -> {
          String subject = required(r.queryParam("subject").orElse(null), "subject");
          String client = r.queryParam("client").filter(s -> !s.isEmpty()).orElse(null);
          if (client == null && !"true".equals(r.queryParam("all").orElse(""))) {
            throw OryException.badRequest("Query parameter 'client' or 'all=true' is required.");
          }
          provider.revokeConsentSessions(subject, client == null ? null : clientParam(client, "client"));
          return HttpResponse.noContent();
        })
        .delete("/admin/oauth2/auth/sessions/login", r -> {
          String sid = r.queryParam("sid").filter(s -> !s.isEmpty()).orElse(null);
          if (sid != null) {
            provider.revokeLoginSession(sid);
          } else {
            provider.revokeLoginSessions(required(r.queryParam("subject").orElse(null), "subject"));
          }
          return HttpResponse.noContent();
        })
        .get("/admin/keys/{set}", r -> keySet(provider.keys().privateSet(r.pathParam("set").orElseThrow())))
        .get("/admin/keys/{set}/{kid}", r -> keySet(new JWKSet(provider.keys().privateKey(
            r.pathParam("set").orElseThrow(), r.pathParam("kid").orElseThrow()).orElseThrow(() ->
            OryException.notFound("Unable to locate the resource")))))
        .post("/admin/keys/{set}", this::createKey)
        .delete("/admin/keys/{set}", r -> {
          provider.keys().deleteSet(r.pathParam("set").orElseThrow());
          return HttpResponse.noContent();
        })
        .delete("/admin/keys/{set}/{kid}", r -> {
          provider.keys().deleteKey(r.pathParam("set").orElseThrow(), r.pathParam("kid").orElseThrow());
          return HttpResponse.noContent();
        })
        .build();
  }

  /** The consent sessions of a subject, paginated as Ory's lists ({@code page_size}, {@code page_token}, Link). */
  private HttpResponse consentSessions(HttpRequest r) {
    String subject = required(r.queryParam("subject").orElse(null), "subject");
    String client = r.queryParam("client").filter(s -> !s.isEmpty()).orElse(null);
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null),
        r.queryParam("page_token").orElse(null));
    List<Map<String, Object>> all = provider.consentSessions(subject,
        client == null ? null : clientParam(client, "client"));
    int from = 0;
    if (page.pageToken() != null) {
      String after = io.ory4j.core.storage.PageToken.decode(page.pageToken());
      for (int i = 0; i < all.size(); i++) {
        if (after.equals(challengeOf(all.get(i)))) {
          from = i + 1;
        }
      }
    }
    List<Map<String, Object>> rest = all.subList(Math.min(from, all.size()),
        Math.min(all.size(), from + page.pageSize() + 1));
    Page<Map<String, Object>> p = Page.fromOverfetch(rest, page.pageSize(), OAuth2Handlers::challengeOf);
    Map<String, String> filters = new LinkedHashMap<>();
    filters.put("subject", subject);
    if (client != null) {
      filters.put("client", client);
    }
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader("/admin/oauth2/auth/sessions/consent", filters, page.pageSize(), p))
        .body(json.writeBytes(p.items())).build();
  }

  @SuppressWarnings("unchecked")
  private static String challengeOf(Map<String, Object> session) {
    return String.valueOf(((Map<String, Object>) session.get("consent_request")).get("challenge"));
  }

  private HttpResponse keySet(JWKSet set) {
    if (set.getKeys().isEmpty()) {
      throw OryException.notFound("Unable to locate the resource").withReason("the key set does not exist");
    }
    return HttpResponse.json(200, json.writeBytes(set.toJSONObject(false)));
  }

  private HttpResponse createKey(HttpRequest r) {
    JsonNode body = json.readTree(r.body());
    String alg = required(body.path("alg").asText(null), "alg");
    String use = body.path("use").asText("sig");
    String kid = body.path("kid").asText(null);
    KeyAlgorithm a;
    try {
      a = KeyAlgorithm.parse(alg);
    } catch (IllegalArgumentException e) {
      throw OryException.invalidField("alg", "unsupported algorithm " + alg);
    }
    JWK key = provider.keys().createKey(r.pathParam("set").orElseThrow(), a, use, kid);
    return HttpResponse.json(201, json.writeBytes(new JWKSet(key).toJSONObject(false)));
  }

  private static OryException clientNotFound() {
    return OryException.notFound("Unable to locate the resource").withReason("the OAuth 2.0 client does not exist");
  }

  private static ClientId id(HttpRequest r) {
    String id = r.pathParam("id").orElseThrow();
    if (!ClientId.isValid(id)) {
      throw clientNotFound();
    }
    return new ClientId(id);
  }

  private static ClientId clientParam(String v, String name) {
    if (!ClientId.isValid(v)) {
      throw OryException.invalidField(name, "is not a valid client id");
    }
    return new ClientId(v);
  }

  private static String required(@Nullable String v, String name) {
    if (v == null || v.isEmpty()) {
      throw OryException.invalidField(name, "is required");
    }
    return v;
  }

  private static String challenge(HttpRequest r, String name) {
    return required(r.queryParam(name).orElse(null), name);
  }

  private <T> T body(HttpRequest r, Class<T> type) {
    if (r.bodyLength() == 0) {
      throw OryException.badRequest("The request body must be a JSON object.");
    }
    try {
      return LenientJson.read(r.body(), type);
    } catch (OryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw OryException.badRequest("The request body is invalid: " + e.getMessage());
    }
  }

  private HttpResponse ok(Object value) {
    return HttpResponse.json(200, json.writeBytes(value));
  }

  private HttpResponse createClient(HttpRequest r) {
    JsonNode body = json.readTree(r.body());
    if (!body.isObject()) {
      throw OryException.badRequest("The request body must be a JSON object.");
    }
    String secret = body.hasNonNull("client_secret") ? body.get("client_secret").asText() : null;
    ((ObjectNode) body).remove(List.of("client_secret", "created_at", "updated_at"));
    OAuth2Client c = LenientJson.convert(body, OAuth2Client.class);
    return created(201, provider.createClient(c, secret));
  }

  private HttpResponse replaceClient(HttpRequest r) {
    JsonNode body = json.readTree(r.body());
    if (!body.isObject()) {
      throw OryException.badRequest("The request body must be a JSON object.");
    }
    String secret = body.hasNonNull("client_secret") ? body.get("client_secret").asText() : null;
    ((ObjectNode) body).remove(List.of("client_secret", "created_at", "updated_at"));
    return created(200, provider.replaceClient(id(r), LenientJson.convert(body, OAuth2Client.class), secret));
  }

  private HttpResponse created(int status, CreatedClient c) {
    return clientJson(status, c.client(), c.secret());
  }

  private HttpResponse clientJson(int status, OAuth2Client c, @Nullable String secret) {
    ObjectNode node = (ObjectNode) json.toTree(c);
    if (secret != null) {
      node.put("client_secret", secret);
    }
    return HttpResponse.json(status, json.writeBytes(node));
  }

  /** Hydra's list of trust relationships: {@code issuer} filter, {@code page_size}/{@code page_token}, Link. */
  private HttpResponse listTrust(HttpRequest r) {
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null),
        r.queryParam("page_token").orElse(null));
    Map<String, String> filters = new LinkedHashMap<>();
    r.queryParam("issuer").filter(v -> !v.isEmpty()).ifPresent(v -> filters.put("issuer", v));
    Page<TrustedJwtGrantIssuer> p = provider.listTrustedJwtGrantIssuers(page, filters.get("issuer"));
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader(TRUST_PATH, filters, page.pageSize(), p))
        .body(json.writeBytes(p.map(TrustRelationships::toJson).items())).build();
  }

  private HttpResponse listClients(HttpRequest r) {
    PageRequest page = PageRequest.parse(r.queryParam("page_size").orElse(null),
        r.queryParam("page_token").orElse(null));
    Map<String, String> filters = new LinkedHashMap<>();
    r.queryParam("client_name").filter(v -> !v.isEmpty()).ifPresent(v -> filters.put("client_name", v));
    r.queryParam("owner").filter(v -> !v.isEmpty()).ifPresent(v -> filters.put("owner", v));
    Page<OAuth2Client> p = provider.listClients(page, new io.ory4j.oauth2.spi.ClientFilter(filters.get("client_name"),
        filters.get("owner")));
    return HttpResponse.builder(200).header("Content-Type", "application/json; charset=utf-8")
        .header("Link", PaginationLinks.linkHeader("/admin/clients", filters, page.pageSize(), p))
        .body(json.writeBytes(p.items())).build();
  }
}
