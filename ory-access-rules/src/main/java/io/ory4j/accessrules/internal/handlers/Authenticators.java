package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import io.ory4j.accessrules.spi.Authenticator;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import io.ory4j.accessrules.spi.HandlerServices;
import io.ory4j.accessrules.spi.IntrospectionResult;
import io.ory4j.accessrules.spi.SessionResolver;
import io.ory4j.accessrules.spi.TokenIntrospector;
import io.ory4j.core.http.HttpRequest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Oathkeeper's authenticators. */
public final class Authenticators {
  private Authenticators() {}

  public static List<HandlerFactory<Authenticator>> all() {
    return List.of(
        new Factories<>("noop", c -> (r, s) -> true),
        new Factories<>("anonymous", Authenticators::anonymous),
        new Factories<>("unauthorized", c -> (r, s) -> {
          throw Errors.unauthorized("The unauthorized authenticator refuses every request.");
        }),
        new Factories<>("cookie_session", c -> session(c, true)),
        new Factories<>("bearer_token", c -> session(c, false)),
        new Factories<>("oauth2_introspection", Introspection::create),
        new Factories<>("oauth2_client_credentials", ClientCredentials::create),
        new Factories<>("jwt", JwtAuthenticator::create));
  }

  private static Authenticator anonymous(HandlerConfig c) {
    String subject = c.string("subject", "anonymous");
    return (r, s) -> {
      if (r.request().header("Authorization").filter(v -> !v.isEmpty()).isPresent()) {
        return false;
      }
      s.subject(subject);
      return true;
    };
  }

  /** cookie_session and bearer_token: forward the credentials to check_session_url (or an in-process resolver). */
  private static Authenticator session(HandlerConfig c, boolean cookies) {
    List<String> only = cookies ? c.strings("only") : List.of();
    Tokens tokens = cookies ? null : Tokens.from(c);
    String prefix = cookies ? "" : c.string("prefix", "");
    boolean preservePath = c.bool("preserve_path", false);
    boolean preserveQuery = c.bool("preserve_query", true);
    boolean preserveHost = c.bool("preserve_host", false);
    String extraFrom = c.string("extra_from", "extra");
    String subjectFrom = c.string("subject_from", cookies ? "subject" : "sub");
    List<String> forward = c.has("forward_http_headers") ? c.strings("forward_http_headers")
        : List.of("Authorization", "Cookie");
    Map<String, String> additional = c.stringMap("additional_headers");
    String forceMethod = c.string("force_method", "");
    Duration timeout = c.duration("timeout", c.services().timeout());
    SessionResolver resolver;
    if (c.has("check_session_url")) {
      URI url = c.url("check_session_url");
      resolver = req -> remoteSession(c.services(), url, req, preservePath, preserveQuery, preserveHost, forward,
          additional, forceMethod, timeout);
    } else if (c.services().sessions() != null) {
      resolver = c.services().sessions();
    } else {
      throw c.invalid("check_session_url", "is required (no in-process session resolver is configured)");
    }
    return (r, s) -> {
      HttpRequest req = r.request();
      if (cookies) {
        if (req.cookies().isEmpty() || (!only.isEmpty() && only.stream().noneMatch(req.cookies()::containsKey))) {
          return false;
        }
      } else {
        String token = tokens.extract(req);
        if (token == null || !token.startsWith(prefix)) {
          return false;
        }
      }
      Optional<JsonNode> body = resolver.resolve(req);
      if (body.isEmpty()) {
        throw Errors.unauthorized("The session could not be resolved.");
      }
      s.subject(JsonPaths.string(body.get(), subjectFrom));
      s.extra(JsonPaths.map(body.get(), extraFrom));
      return true;
    };
  }

  private static Optional<JsonNode> remoteSession(HandlerServices svc, URI url, HttpRequest req, boolean preservePath,
      boolean preserveQuery, boolean preserveHost, List<String> forward, Map<String, String> additional, String forceMethod,
      Duration timeout) {
    String path = preservePath ? req.path() : url.getRawPath();
    String query = url.getRawQuery();
    if (preserveQuery && req.rawQuery() != null && !req.rawQuery().isEmpty()) {
      query = req.rawQuery();
    }
    URI target = URI.create(url.getScheme() + "://" + url.getRawAuthority() + (path == null ? "" : path)
        + (query == null || query.isEmpty() ? "" : "?" + query));
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h : forward) {
      req.header(h).ifPresent(v -> headers.put(h, String.join(", ", req.headers().get(h))));
    }
    if (preserveHost) { // Oathkeeper: the original host travels in X-Forwarded-Host
      headers.put("X-Forwarded-Host", req.host());
    }
    headers.putAll(additional);
    String method = forceMethod.isEmpty() ? req.method() : forceMethod;
    HttpResponse<byte[]> res = Remote.send(svc, method, target, headers, new byte[0], timeout);
    if (res.statusCode() != 200) {
      return Optional.empty();
    }
    try {
      return Optional.of(svc.json().mapper().readTree(res.body()));
    } catch (java.io.IOException e) {
      throw Errors.internal("The session check at " + url.getHost() + " answered with invalid JSON.");
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** oauth2_introspection. */
  static final class Introspection {
    private Introspection() {}

    static Authenticator create(HandlerConfig c) {
      List<String> required = c.strings("required_scope");
      List<String> audience = c.strings("target_audience");
      List<String> issuers = c.strings("trusted_issuers");
      ScopeStrategy strategy;
      try {
        strategy = ScopeStrategy.parse(c.string("scope_strategy", "none"));
      } catch (IllegalArgumentException e) {
        throw c.invalid("scope_strategy", e.getMessage());
      }
      Tokens tokens = Tokens.from(c);
      HandlerConfig cache = c.object("cache");
      boolean cacheEnabled = cache.bool("enabled", false);
      Duration ttl = cache.duration("ttl", Duration.ZERO);
      // Oathkeeper's ristretto cache gives every token the cost 1: max_cost is the number of tokens held
      int maxCost = cache.integer("max_cost", 100_000_000);
      if (maxCost <= 0) {
        throw c.invalid("cache.max_cost", "must be a positive number");
      }
      Cache<String, IntrospectionResult> results = Caches.builder(c.services(), maxCost)
          .expireAfterWrite(ttl.isZero() ? Duration.ofDays(1) : ttl).build();
      TokenIntrospector introspector;
      if (c.has("introspection_url")) {
        introspector = new RemoteIntrospector(c);
      } else if (c.services().introspector() != null) {
        introspector = c.services().introspector();
      } else {
        throw c.invalid("introspection_url", "is required (no in-process introspector is configured)");
      }
      return (r, s) -> {
        String token = tokens.extract(r.request());
        if (token == null) {
          return false;
        }
        String key = sha256(token);
        long now = c.services().clock().instant().getEpochSecond();
        IntrospectionResult i = cacheEnabled ? results.getIfPresent(key) : null;
        if (i != null && i.expiresAt() != null && i.expiresAt() <= now) {
          results.invalidate(key);
          i = null;
        }
        boolean fresh = i == null;
        if (fresh) {
          i = introspector.introspect(token, strategy == ScopeStrategy.NONE ? required : List.of());
        }
        if (!i.active()) {
          throw Errors.unauthorized("The introspection endpoint says the access token is not active.");
        }
        if (!i.tokenUse().isEmpty() && !i.tokenUse().equals("access_token")) {
          throw Errors.unauthorized("Use of introspected token is not an access token but \"" + i.tokenUse() + "\"");
        }
        if (i.expiresAt() != null && i.expiresAt() > 0 && i.expiresAt() <= now) {
          throw Errors.unauthorized("Access token expired");
        }
        for (String aud : audience) {
          if (!i.audience().contains(aud)) {
            throw Errors.forbidden("Token audience is not intended for target audience " + aud);
          }
        }
        if (!issuers.isEmpty() && !issuers.contains(i.issuer())) {
          throw Errors.forbidden("Token issuer does not match any trusted issuer");
        }
        if (strategy != ScopeStrategy.NONE) {
          List<String> granted = i.scope().isEmpty() ? List.of() : Arrays.asList(i.scope().split(" "));
          for (String sc : required) {
            if (!strategy.matches(granted, sc)) {
              throw Errors.forbidden("Scope " + sc + " was not granted");
            }
          }
        }
        if (cacheEnabled && fresh) {
          results.put(key, i);
        }
        Map<String, Object> extra = new LinkedHashMap<>(i.ext());
        extra.put("username", i.username());
        extra.put("client_id", i.clientId());
        extra.put("scope", i.scope());
        if (!i.audience().isEmpty()) {
          extra.put("aud", new ArrayList<>(i.audience()));
        }
        s.subject(i.subject());
        s.extra(extra);
        return true;
      };
    }
  }
}
