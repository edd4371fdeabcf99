package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.json.OryJson;
import io.ory4j.oauth2.TokenHookSettings;
import io.ory4j.oauth2.spi.TokenHook;
import io.ory4j.oauth2.spi.TokenHookContext;
import io.ory4j.oauth2.spi.TokenHookResult;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hydra's token web hook: POSTs {@code {"session": ..., "request": ...}} (or, for older Hydra's
 * {@code oauth2.refresh_token_hook}, {@code {"subject", "session", "requester", "client_id", "granted_scopes",
 * "granted_audience"}}) and reads the answer: 200 replaces the session's extra claims with {@code session.access_token}
 * and {@code session.id_token}, 204 keeps them, 403 is {@code access_denied}, anything else (or no answer in time) is
 * {@code server_error}, each with Hydra's description.
 */
public final class HttpTokenHook implements TokenHook {

  private static final Logger log = LoggerFactory.getLogger(HttpTokenHook.class);
  private static final String FAILED = "The token hook target responded with an error.";

  private final TokenHookSettings settings;
  private final boolean legacyRefreshBody;
  private final String issuer;
  private final OryJson json;
  private final LazyHttpClient http;

  public HttpTokenHook(TokenHookSettings settings, boolean legacyRefreshBody, String issuer, OryJson json) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.legacyRefreshBody = legacyRefreshBody;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.json = Objects.requireNonNull(json, "json");
    this.http = new LazyHttpClient(settings.timeout());
  }

  @Override
  public TokenHookResult onTokenRequest(TokenHookContext ctx) {
    HttpRequest.Builder req = HttpRequest.newBuilder(settings.url()).timeout(settings.timeout())
        .header("Content-Type", "application/json; charset=UTF-8")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeBytes(body(ctx))));
    TokenHookSettings.ApiKey key = settings.auth();
    if (key != null) {
      if (key.in() == TokenHookSettings.In.HEADER) {
        req.header(key.name(), key.value());
      } else {
        req.header("Cookie", key.name() + "=" + key.value());
      }
    }
    HttpResponse<byte[]> res;
    try {
      res = http.get().send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      log.warn("token hook for client {} could not be called: {}", ctx.clientId(), e.toString());
      throw error("server_error", "An error occurred while executing the token hook.",
          "Unable to execute HTTP Request: " + e, 500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw error("server_error", "An error occurred while executing the token hook.", "interrupted", 500);
    }
    switch (res.statusCode()) {
      case 200:
        break;
      case 204:
        return TokenHookResult.unchanged();
      case 403:
        log.warn("token hook denied a token for client {}", ctx.clientId());
        throw error("access_denied", FAILED, "Token hook responded with HTTP status code: 403", 403);
      default:
        log.warn("token hook for client {} answered {}", ctx.clientId(), res.statusCode());
        throw error("server_error", FAILED, "Token hook responded with HTTP status code: " + res.statusCode(), 500);
    }
    JsonNode session;
    try {
      JsonNode answer = json.readTree(res.body());
      session = answer.path("session");
      if (!answer.isObject() || !(session.isObject() || session.isMissingNode() || session.isNull())) {
        throw new IllegalArgumentException("not a token hook response");
      }
      return TokenHookResult.claims(claims(session.path("access_token")), claims(session.path("id_token")));
    } catch (RuntimeException e) {
      log.warn("token hook for client {} answered 200 with a body that is not a token hook response", ctx.clientId());
      throw error("server_error", FAILED, "Response from token hook could not be decoded.", 500);
    }
  }

  /** Hydra overwrites the session's claims with the answer's, so a missing object means none. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> claims(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("claims must be a JSON object");
    }
    return json.convert(node, Map.class);
  }

  private static OAuth2Exception error(String code, String description, String debug, int status) {
    return new OAuth2Exception(new OAuth2Error(code, description, null, debug, status));
  }

  /** The request body in Hydra's shape. */
  private Map<String, Object> body(TokenHookContext ctx) {
    String subject = ctx.subject() != null ? ctx.subject() : "";
    Map<String, Object> idClaims = new LinkedHashMap<>();
    idClaims.put("iss", issuer);
    idClaims.put("sub", subject);
    idClaims.put("aud", List.of(ctx.clientId().value()));
    idClaims.put("ext", ctx.idTokenClaims());
    Map<String, Object> idToken = new LinkedHashMap<>();
    idToken.put("id_token_claims", idClaims);
    idToken.put("headers", Map.of("extra", Map.of()));
    idToken.put("expires_at", Map.of());
    idToken.put("username", "");
    idToken.put("subject", subject);
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("id_token", idToken);
    session.put("extra", ctx.accessTokenClaims());
    session.put("kid", "");
    session.put("client_id", ctx.clientId().value());
    session.put("consent_challenge", "");
    session.put("exclude_not_before_claim", false);
    session.put("allowed_top_level_claims", List.of());
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("client_id", ctx.clientId().value());
    request.put("granted_scopes", ctx.grantedScopes());
    request.put("granted_audience", ctx.grantedAudience());
    request.put("grant_types", ctx.grantTypes());
    request.put("payload", ctx.payload());
    Map<String, Object> body = new LinkedHashMap<>();
    if (legacyRefreshBody) {
      body.put("subject", subject);
      body.put("session", session);
      body.put("requester", request);
      body.put("client_id", ctx.clientId().value());
      body.put("granted_scopes", ctx.grantedScopes());
      body.put("granted_audience", ctx.grantedAudience());
    } else {
      body.put("session", session);
      body.put("request", request);
    }
    return body;
  }
}
