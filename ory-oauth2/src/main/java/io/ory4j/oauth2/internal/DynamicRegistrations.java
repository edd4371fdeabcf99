package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.DynamicClientRegistrationSettings;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.RegisteredClient;
import io.ory4j.oauth2.spi.StoredClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic client registration (RFC 7591) and its management protocol (RFC 7592) as Hydra serves them on
 * {@code /oauth2/register}: the server picks the client id and secret; a registration may not set {@code metadata},
 * {@code access_token_strategy} or {@code skip_consent}; the registration access token has the form of an opaque
 * access token, only its HMAC signature is stored, it is compared in constant time, and every update rotates it.
 */
public final class DynamicRegistrations {

  private static final Logger log = LoggerFactory.getLogger(DynamicRegistrations.class);
  private static final String PREFIX = "ory_at_";
  /** Fields of the registration answer a client may send back; they are not metadata, so they are dropped. */
  private static final List<String> RESPONSE_ONLY = List.of("registration_access_token", "registration_client_uri",
      "client_id_issued_at", "client_secret_expires_at", "created_at", "updated_at");

  private final ClientRegistry registry;
  private final TokenCodec codec;
  private final IdGenerator ids;
  private final String issuer;
  private final @Nullable DynamicClientRegistrationSettings settings;

  public DynamicRegistrations(ClientRegistry registry, TokenCodec codec, IdGenerator ids, String issuer,
      @Nullable DynamicClientRegistrationSettings settings) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.codec = Objects.requireNonNull(codec, "codec");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.settings = settings;
  }

  /** True when {@code oidc.dynamic_client_registration.enabled}. */
  public boolean enabled() {
    return settings != null;
  }

  /** The registration endpoint. */
  public String endpoint() {
    return issuer + "/oauth2/register";
  }

  private DynamicClientRegistrationSettings settings() {
    if (settings == null) {
      throw OryException.notFound("Dynamic registration is not enabled.");
    }
    return settings;
  }

  private String clientUri(ClientId id) {
    return endpoint() + "/" + URLEncoder.encode(id.value(), StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code POST /oauth2/register}: creates a client from its metadata (RFC 7591 section 3.1). */
  public RegisteredClient register(@Nullable JsonNode body) {
    DynamicClientRegistrationSettings s = settings();
    ObjectNode node = metadata(body);
    if (hasSecret(node)) {
      throw OAuth2Exception.invalidRequest("It is not allowed to choose your own OAuth2 Client secret.");
    }
    node.remove("client_secret");
    node.remove("client_id");
    OAuth2Client c = toClient(node);
    if (c.scope().isBlank()) {
      c = c.toBuilder().scope(String.join(" ", s.defaultScope())).build();
    }
    c = c.withClientId(new ClientId(ids.nextString()));
    TokenCodec.Minted token = codec.mint(PREFIX);
    CreatedClient created = registry.createClient(c, null, token.signature());
    log.debug("registered client {} dynamically", created.client().id());
    return new RegisteredClient(created.client(), created.secret(), token.token(), clientUri(created.client().id()));
  }

  /** {@code GET /oauth2/register/{id}} (RFC 7592 section 2.1): the client, without secrets or {@code metadata}. */
  public RegisteredClient read(String id, @Nullable String bearer) {
    StoredClient sc = authorize(id, bearer);
    OAuth2Client c = sc.client().toBuilder().metadata(java.util.Map.of()).build();
    return new RegisteredClient(c, null, null, clientUri(c.id()));
  }

  /**
   * {@code PUT /oauth2/register/{id}} (RFC 7592 section 2.2): replaces the client's metadata, keeps its secret, and
   * rotates the registration access token (the old one stops working).
   */
  public RegisteredClient update(String id, @Nullable String bearer, @Nullable JsonNode body) {
    StoredClient sc = authorize(id, bearer);
    ObjectNode node = metadata(body);
    if (hasSecret(node)) {
      throw OryException.forbidden("It is not allowed to choose your own OAuth2 Client secret.");
    }
    node.remove("client_secret");
    JsonNode given = node.remove("client_id");
    if (given != null && !given.isNull() && !sc.client().id().value().equals(given.asText())) {
      throw OAuth2Exception.invalidRequest("The client_id in the request body must be the client's own client_id "
          + "(RFC 7592, section 2.2).");
    }
    OAuth2Client c = toClient(node);
    if (c.scope().isBlank()) {
      c = c.toBuilder().scope(String.join(" ", settings().defaultScope())).build();
    }
    TokenCodec.Minted token = codec.mint(PREFIX);
    CreatedClient updated = registry.replaceClient(sc, c, null, token.signature());
    log.debug("updated dynamically registered client {}; its registration access token was rotated",
        updated.client().id());
    return new RegisteredClient(updated.client().toBuilder().metadata(java.util.Map.of()).build(), null,
        token.token(), clientUri(updated.client().id()));
  }

  /** {@code DELETE /oauth2/register/{id}} (RFC 7592 section 2.3): deletes the client and its tokens. */
  public void delete(String id, @Nullable String bearer) {
    StoredClient sc = authorize(id, bearer);
    registry.deleteClient(sc.client().id());
    log.debug("deleted dynamically registered client {}", sc.client().id());
  }

  /**
   * The client {@code id} when {@code bearer} is its registration access token; otherwise {@code invalid_token} (RFC
   * 7592 section 2: RFC 6750 errors), the same answer whether the client is missing or the token is wrong.
   */
  private StoredClient authorize(String id, @Nullable String bearer) {
    settings();
    if (bearer == null || bearer.isEmpty()) {
      throw OAuth2Exception.invalidToken("The registration access token is missing: send it as "
          + "'Authorization: Bearer' (RFC 7592, section 2).");
    }
    Optional<StoredClient> sc = ClientId.isValid(id) ? registry.findStored(new ClientId(id)) : Optional.empty();
    String stored = sc.map(StoredClient::registrationTokenSignature).orElse(null);
    Optional<List<String>> candidates = codec.signatures(PREFIX, bearer);
    boolean ok = false;
    if (stored != null && candidates.isPresent()) {
      for (String sig : candidates.get()) {
        ok |= ConstantTime.equals(stored, sig);
      }
    }
    if (!ok) {
      log.warn("dynamic client registration request for client {} with an invalid registration access token",
          sc.isPresent() ? id : "(unknown)");
      throw OAuth2Exception.invalidToken("The requested OAuth 2.0 client does not exist or you provided incorrect "
          + "credentials.");
    }
    return sc.get();
  }

  private static boolean hasSecret(ObjectNode node) {
    JsonNode secret = node.get("client_secret");
    return secret != null && !secret.isNull() && !secret.asText().isEmpty();
  }

  /** The body as client metadata, refusing what a registration may not set (Hydra's ValidateDynamicRegistration). */
  private static ObjectNode metadata(@Nullable JsonNode body) {
    if (body == null || !body.isObject()) {
      throw OAuth2Exception.invalidRequest("The request body must be a JSON object of client metadata (RFC 7591, "
          + "section 3.1).");
    }
    ObjectNode node = (ObjectNode) body.deepCopy();
    RESPONSE_ONLY.forEach(node::remove);
    JsonNode metadata = node.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      throw ClientRegistry.invalidMetadata("\"metadata\" cannot be set for dynamic client registration");
    }
    JsonNode strategy = node.get("access_token_strategy");
    if (strategy != null && !strategy.isNull() && !strategy.asText().isEmpty()) {
      throw OAuth2Exception.invalidRequest("It is not allowed to choose your own access token strategy.");
    }
    if (node.path("skip_consent").asBoolean(false)) {
      throw OAuth2Exception.invalidRequest("\"skip_consent\" cannot be set for dynamic client registration");
    }
    return node;
  }

  private static OAuth2Client toClient(ObjectNode node) {
    try {
      return LenientJson.convert(node, OAuth2Client.class);
    } catch (OryException e) {
      throw ClientRegistry.invalidMetadata(e.error().reason() != null ? e.error().reason() : e.getMessage());
    } catch (RuntimeException e) {
      throw ClientRegistry.invalidMetadata("The client metadata could not be read: " + e.getMessage());
    }
  }
}
