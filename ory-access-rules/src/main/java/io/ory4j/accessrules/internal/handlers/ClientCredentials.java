package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.ory4j.accessrules.spi.Authenticator;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.core.error.OryException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Oathkeeper's {@code oauth2_client_credentials}: the request's basic credentials are exchanged at
 * {@code token_url} (client credentials grant with {@code required_scope}); a token means the client is the subject.
 * As in Oathkeeper, a token is cached (when {@code cache.enabled}) until it expires ({@code expires_in}), or for
 * {@code cache.ttl} when that is shorter, at most {@code cache.max_tokens} tokens; the token endpoint's failures map
 * to Oathkeeper's upstream errors (unreachable or 503: 503, 500: 500, 504: 504, 404: 404, any other refusal: 401).
 */
final class ClientCredentials {
  private ClientCredentials() {}

  /** A cached grant: how long it may be reused. */
  private record Grant(long ttlNanos) {}

  static Authenticator create(HandlerConfig c) {
    URI tokenUrl = c.url("token_url");
    List<String> scopes = c.strings("required_scope");
    Duration timeout = c.duration("timeout", c.services().timeout());
    Remote.Retry retry = Remote.Retry.from(c);
    HandlerConfig cache = c.object("cache");
    boolean cacheEnabled = cache.bool("enabled", false);
    @Nullable Duration ttl = cache.has("ttl") ? cache.duration("ttl", Duration.ZERO) : null;
    int maxTokens = cache.integer("max_tokens", 1000);
    if (maxTokens <= 0) {
      throw c.invalid("cache.max_tokens", "must be a positive number");
    }
    Cache<String, Grant> grants = Caches.builder(c.services(), maxTokens).expireAfter(new Expiry<String, Grant>() {
      @Override
      public long expireAfterCreate(String key, Grant g, long now) {
        return g.ttlNanos();
      }

      @Override
      public long expireAfterUpdate(String key, Grant g, long now, long current) {
        return g.ttlNanos();
      }

      @Override
      public long expireAfterRead(String key, Grant g, long now, long current) {
        return current;
      }
    }).build();
    return (r, s) -> {
      String auth = r.request().header("Authorization").orElse("");
      if (!auth.regionMatches(true, 0, "Basic ", 0, 6)) {
        return false;
      }
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Errors.unauthorized("The basic authorization header is not valid base64.");
      }
      int i = decoded.indexOf(':');
      if (i < 0) {
        throw Errors.unauthorized("The basic authorization header has no password.");
      }
      String id;
      String secret;
      try {
        id = URLDecoder.decode(decoded.substring(0, i), StandardCharsets.UTF_8);
        secret = URLDecoder.decode(decoded.substring(i + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw Errors.unauthorized("The basic credentials are not URL-encoded correctly.");
      }
      String key = Authenticators.sha256(tokenUrl + "\u0000" + id + "\u0000" + secret + "\u0000"
          + String.join(" ", scopes));
      if (cacheEnabled && grants.getIfPresent(key) != null) {
        s.subject(id);
        return true;
      }
      String form = "grant_type=client_credentials" + (scopes.isEmpty() ? ""
          : "&scope=" + URLEncoder.encode(String.join(" ", scopes), StandardCharsets.UTF_8));
      String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(id, StandardCharsets.UTF_8) + ":"
          + URLEncoder.encode(secret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
      HttpResponse<byte[]> res;
      try {
        res = Remote.send(c.services(), "POST", tokenUrl, Map.of("Content-Type", "application/x-www-form-urlencoded",
            "Authorization", "Basic " + basic, "Accept", "application/json"), form.getBytes(StandardCharsets.UTF_8),
            timeout, retry);
      } catch (OryException e) {
        throw unavailable(e.error().reason());
      }
      if (res.statusCode() != 200) {
        throw refused(res.statusCode());
      }
      JsonNode token;
      try {
        token = c.services().json().mapper().readTree(res.body());
      } catch (java.io.IOException e) {
        throw unavailable("The token endpoint answered with invalid JSON.");
      }
      if (token == null || token.path("access_token").asText("").isEmpty()) {
        throw unavailable("The token endpoint's response has no access_token.");
      }
      if (cacheEnabled) {
        long expiresIn = token.path("expires_in").asLong(0);
        long nanos = expiresIn > 0 ? Duration.ofSeconds(expiresIn).toNanos() : Long.MAX_VALUE;
        if (ttl != null) {
          nanos = Math.min(nanos, ttl.toNanos());
        }
        if (nanos > 0) {
          grants.put(key, new Grant(nanos));
        }
      }
      s.subject(id);
      return true;
    };
  }

  private static OryException unavailable(String reason) {
    return OryException.of(503, "The upstream service is not available").withReason(reason);
  }

  /** Oathkeeper's mapping of the token endpoint's refusals. */
  private static OryException refused(int status) {
    String reason = "The token endpoint answered " + status;
    return switch (status) {
      case 503 -> unavailable(reason);
      case 500 -> OryException.of(500, "The upstream service encountered an unexpected error").withReason(reason);
      case 504 -> OryException.of(504, "The upstream service is timing out").withReason(reason);
      case 404 -> OryException.of(404, "Upstream service not found").withReason(reason);
      default -> Errors.unauthorized("The client credentials were refused by the token endpoint (" + status + ").");
    };
  }
}
