package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerServices;
import io.ory4j.accessrules.spi.IntrospectionResult;
import io.ory4j.accessrules.spi.TokenIntrospector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 7662 introspection over HTTP, with Oathkeeper's {@code pre_authorization} (a client-credentials token for the
 * introspection endpoint, cached until it expires) and {@code introspection_request_headers}.
 */
public final class RemoteIntrospector implements TokenIntrospector {
  private final HandlerServices services;
  private final URI url;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final Remote.Retry retry;
  private final boolean preauth;
  private final URI preauthTokenUrl;
  private final String preauthBasic;
  private final String preauthScope;
  private final String preauthAudience;
  private final Cache<String, String> preauthToken;

  RemoteIntrospector(HandlerConfig c) {
    this.services = c.services();
    this.preauthToken = Caches.builder(services, 1).expireAfterWrite(Duration.ofMinutes(5)).build();
    this.url = c.url("introspection_url");
    this.headers = c.stringMap("introspection_request_headers");
    this.timeout = c.duration("timeout", c.services().timeout());
    this.retry = Remote.Retry.from(c);
    HandlerConfig p = c.object("pre_authorization");
    this.preauth = p.bool("enabled", false);
    if (preauth) {
      this.preauthTokenUrl = p.url("token_url");
      this.preauthBasic = Base64.getEncoder().encodeToString((URLEncoder.encode(p.string("client_id"),
          StandardCharsets.UTF_8) + ":" + URLEncoder.encode(p.string("client_secret"), StandardCharsets.UTF_8))
          .getBytes(StandardCharsets.UTF_8));
      this.preauthScope = String.join(" ", p.strings("scope"));
      this.preauthAudience = p.string("audience", "");
    } else {
      this.preauthTokenUrl = null;
      this.preauthBasic = "";
      this.preauthScope = "";
      this.preauthAudience = "";
    }
  }

  @Override
  public IntrospectionResult introspect(String token, List<String> scopes) {
    StringBuilder form = new StringBuilder("token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
    if (!scopes.isEmpty()) {
      form.append("&scope=").append(URLEncoder.encode(String.join(" ", scopes), StandardCharsets.UTF_8));
    }
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put("Content-Type", "application/x-www-form-urlencoded");
    h.put("Accept", "application/json");
    if (preauth) {
      h.put("Authorization", "Bearer " + preauthToken());
    }
    HttpResponse<byte[]> res = Remote.send(services, "POST", url, h, form.toString().getBytes(StandardCharsets.UTF_8),
        timeout, retry);
    if (res.statusCode() != 200) {
      throw Errors.internal("Introspection returned status code " + res.statusCode() + " but expected 200");
    }
    JsonNode n;
    try {
      n = services.json().mapper().readTree(res.body());
    } catch (java.io.IOException e) {
      throw Errors.internal("The introspection endpoint answered with invalid JSON.");
    }
    List<String> aud = new ArrayList<>();
    JsonNode a = n.path("aud");
    if (a.isArray()) {
      a.forEach(x -> aud.add(x.asText()));
    } else if (a.isTextual()) {
      aud.add(a.asText());
    }
    Map<String, Object> ext = JsonPaths.map(n, "ext");
    return new IntrospectionResult(n.path("active").asBoolean(false), n.path("sub").asText(""),
        n.path("username").asText(""), n.path("client_id").asText(""), n.path("scope").asText(""), aud,
        n.path("iss").asText(""), n.path("token_type").asText(""), n.path("token_use").asText(""),
        n.hasNonNull("exp") ? n.get("exp").asLong() : null, ext);
  }

  private String preauthToken() {
    String cached = preauthToken.getIfPresent("t");
    if (cached != null) {
      return cached;
    }
    StringBuilder form = new StringBuilder("grant_type=client_credentials");
    if (!preauthScope.isEmpty()) {
      form.append("&scope=").append(URLEncoder.encode(preauthScope, StandardCharsets.UTF_8));
    }
    if (!preauthAudience.isEmpty()) {
      form.append("&audience=").append(URLEncoder.encode(preauthAudience, StandardCharsets.UTF_8));
    }
    HttpResponse<byte[]> res = Remote.send(services, "POST", preauthTokenUrl, Map.of("Content-Type",
        "application/x-www-form-urlencoded", "Authorization", "Basic " + preauthBasic), form.toString()
        .getBytes(StandardCharsets.UTF_8), timeout, retry);
    if (res.statusCode() != 200) {
      throw Errors.internal("The pre-authorization token endpoint returned status " + res.statusCode());
    }
    try {
      JsonNode n = services.json().mapper().readTree(res.body());
      String t = n.path("access_token").asText("");
      if (t.isEmpty()) {
        throw Errors.internal("The pre-authorization token endpoint returned no access_token");
      }
      preauthToken.put("t", t);
      return t;
    } catch (java.io.IOException e) {
      throw Errors.internal("The pre-authorization token endpoint answered with invalid JSON.");
    }
  }
}
