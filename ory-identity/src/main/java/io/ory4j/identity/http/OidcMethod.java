package io.ory4j.identity.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.OidcProvider;
import io.ory4j.identity.UiMessage;
import io.ory4j.identity.internal.Flows;
import io.ory4j.identity.internal.OidcClient;
import io.ory4j.identity.internal.OidcMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kratos' {@code oidc} method for {@link IdentityApi}: the {@code oidc} node group, the start of a sign-in (state,
 * nonce, PKCE verifier kept as a short flow of kind {@code oidc_state} in the flow store, so a JDBC flow store shares
 * it between processes), and the callback's checks and mapping. The upstream's tokens are not stored.
 */
final class OidcMethod {

  private static final Logger log = LoggerFactory.getLogger(OidcMethod.class);

  /** The flow kind of a pending sign-in's state. */
  static final String STATE_KIND = "oidc_state";
  /** The cookie that binds a pending sign-in to the browser that started it. */
  static final String STATE_COOKIE = "ory_kratos_oidc_state";
  private static final Duration STATE_LIFESPAN = Duration.ofMinutes(30);

  /** A started sign-in: where to send the browser, and the state to store. */
  record Start(URI redirect, Flows.Flow state) {}

  /** A pending sign-in read back from its state. */
  record Pending(UUID stateId, String provider, UUID flowId, String kind, String nonce, String codeVerifier) {}

  /** A verified sign-in: the upstream's subject and the ID token's claims. */
  record SignedIn(String subject, JsonNode claims) {}

  private final IdentityService service;
  private final OryJson json;
  private final Clock clock;
  private final String baseUrl;
  private final SecretGenerator secrets;
  private final Map<String, OidcProvider> providers = new LinkedHashMap<>();
  private final Map<String, OidcMapper> mappers = new LinkedHashMap<>();
  private final @org.jspecify.annotations.Nullable OidcClient client;

  OidcMethod(IdentityService service, OryJson json, Clock clock, String baseUrl, SecretGenerator secrets) {
    this.service = service;
    this.json = json;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.secrets = secrets;
    for (OidcProvider p : service.oidcProviders()) {
      providers.put(p.id(), p);
      mappers.put(p.id(), OidcMapper.of(p));
    }
    // Nimbus (an optional dependency) is loaded only when social sign-in is configured
    this.client = providers.isEmpty() ? null : new OidcClient(clock);
  }

  private OidcClient client() {
    return java.util.Objects.requireNonNull(client, "no oidc provider is configured");
  }

  /** A login or registration submission for this method: {@code method=oidc}, or a {@code provider} field alone. */
  static boolean isOidc(JsonNode body) {
    String method = body.path("method").asText("");
    return method.equals(IdentityService.OIDC) || (method.isEmpty() && !body.path("provider").asText("").isEmpty());
  }

  /** A settings submission for this method: {@code link} or {@code unlink} (Kratos needs no {@code method}). */
  static boolean isOidcSettings(JsonNode body) {
    return !body.path("link").asText("").isEmpty() || !body.path("unlink").asText("").isEmpty()
        || body.path("method").asText("").equals(IdentityService.OIDC);
  }

  /** Appends a {@code provider} submit button per provider to a login or registration flow, as Kratos renders them. */
  void appendNodes(String kind, ArrayNode nodes) {
    boolean login = kind.equals("login");
    if (!login && !kind.equals("registration")) {
      return;
    }
    for (OidcProvider p : providers.values()) {
      nodes.add(button("provider", p, login ? 1010002 : 1040002, (login ? "Sign in with " : "Sign up with ")
          + p.displayName()));
    }
  }

  /** Appends the sign-in buttons of the identity's linked providers to a refresh login flow. */
  void appendRefreshNodes(List<String> linked, ArrayNode nodes) {
    for (OidcProvider p : providers.values()) {
      if (linked.contains(p.id())) {
        nodes.add(button("provider", p, 1010002, "Sign in with " + p.displayName()));
      }
    }
  }

  /** Appends {@code link} buttons for unlinked providers and {@code unlink} buttons for linked ones. */
  void appendSettingsNodes(UUID identityId, ArrayNode nodes) {
    if (providers.isEmpty()) {
      return;
    }
    List<String> linked = service.linkedOidcProviders(identityId);
    for (OidcProvider p : providers.values()) {
      boolean isLinked = linked.contains(p.id());
      nodes.add(button(isLinked ? "unlink" : "link", p, isLinked ? 1050003 : 1050002, (isLinked ? "Unlink " : "Link ")
          + p.displayName()));
    }
  }

  private static ObjectNode button(String name, OidcProvider p, long labelId, String text) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("type", "input");
    node.put("group", IdentityService.OIDC);
    ObjectNode attrs = node.putObject("attributes");
    attrs.put("name", name);
    attrs.put("type", "submit");
    attrs.put("value", p.id());
    attrs.put("disabled", false);
    attrs.put("node_type", "input");
    node.putArray("messages");
    ObjectNode label = node.putObject("meta").putObject("label");
    label.put("id", labelId);
    label.put("text", text);
    label.put("type", "info");
    label.putObject("context").put("provider", p.displayName()).put("provider_id", p.id());
    return node;
  }

  private OidcProvider provider(String id) {
    OidcProvider p = providers.get(id);
    if (p == null) {
      throw new IdentityException(400, new UiMessage(4000001, "Unable to find the OpenID Connect provider \"" + id
          + "\".", "error", Map.of("provider", id)));
    }
    return p;
  }

  URI redirectUri(String providerId) {
    return URI.create(baseUrl + "/self-service/methods/oidc/callback/" + providerId);
  }

  /** Starts a sign-in with {@code providerId} for {@code flow}. */
  Start start(Flows.Flow flow, String providerId) {
    OidcProvider p = provider(providerId);
    String nonce = secrets.nextToken(24);
    String verifier = secrets.nextToken(32); // 43 characters of base64url: RFC 7636's minimum
    UUID stateId = UUID.randomUUID();
    ObjectNode st = json.object();
    st.put("provider", p.id()).put("flow", flow.id().toString()).put("kind", flow.kind()).put("nonce", nonce)
        .put("code_verifier", verifier);
    Instant now = clock.instant();
    Instant expires = now.plus(STATE_LIFESPAN).isBefore(flow.expiresAt()) ? now.plus(STATE_LIFESPAN)
        : flow.expiresAt();
    URI redirect;
    try {
      redirect = client().authorizationUrl(p, redirectUri(p.id()), stateId.toString(), nonce, verifier);
    } catch (OidcClient.UpstreamException e) {
      throw upstream(p.id(), e);
    }
    log.debug("oidc sign-in with provider {} started for {} flow {}", p.id(), flow.kind(), flow.id());
    return new Start(redirect, new Flows.Flow(stateId, STATE_KIND, "browser", st, expires, secrets.nextToken(32),
        null));
  }

  static Pending pending(Flows.Flow state) {
    JsonNode j = state.json();
    return new Pending(state.id(), j.path("provider").asText(), UUID.fromString(j.path("flow").asText()),
        j.path("kind").asText(), j.path("nonce").asText(), j.path("code_verifier").asText());
  }

  /**
   * The callback's answer: the upstream's error, or the code exchanged and the ID token verified.
   *
   * @throws IdentityException with Kratos' message when the upstream refused or its answer does not verify
   */
  SignedIn finish(Pending pending, Map<String, String> params) {
    OidcProvider p = provider(pending.provider());
    String error = params.get("error");
    if (error != null) {
      log.debug("oidc provider {} answered error {}", p.id(), error);
      throw upstream(p.id(), new OidcClient.UpstreamException(error, params.getOrDefault("error_description", "")));
    }
    String code = params.getOrDefault("code", "");
    if (code.isEmpty()) {
      throw upstream(p.id(), new OidcClient.UpstreamException("invalid_request", "The callback carries no code."));
    }
    try {
      Map<String, Object> claims = client().exchange(p, redirectUri(p.id()), code, pending.codeVerifier(),
          pending.nonce());
      return new SignedIn(String.valueOf(claims.get("sub")), json.mapper().valueToTree(claims));
    } catch (OidcClient.UpstreamException e) {
      throw upstream(p.id(), e);
    }
  }

  /** The traits the provider's mapping gives for the claims. */
  JsonNode traits(String providerId, JsonNode claims) {
    try {
      return mappers.get(providerId).traits(claims);
    } catch (IllegalArgumentException e) {
      throw new IdentityException(400, new UiMessage(4000001, e.getMessage(), "error", Map.of("provider",
          providerId)));
    }
  }

  /** Kratos' words for an upstream's error, as a message on the flow. */
  private static IdentityException upstream(String provider, OidcClient.UpstreamException e) {
    return new IdentityException(400, new UiMessage(4000001, "Unable to complete OpenID Connect flow because the "
        + "OpenID Provider returned error \"" + e.error() + "\": " + e.getMessage(), "error", Map.of("provider",
            provider, "error", e.error())));
  }

}
