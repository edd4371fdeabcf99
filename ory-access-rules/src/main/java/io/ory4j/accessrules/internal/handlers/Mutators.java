package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.internal.template.Template;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerFactory;
import io.ory4j.accessrules.spi.HandlerServices;
import io.ory4j.accessrules.spi.Mutator;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.keys.KeyAlgorithm;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Oathkeeper's mutators. */
public final class Mutators {
  private Mutators() {}

  /** The key set the id_token mutator signs with, published at {@code /.well-known/jwks.json}. */
  public static final String ID_TOKEN_SET = "oathkeeper.id_token";

  public static List<HandlerFactory<Mutator>> all() {
    return List.of(
        new Factories<>("noop", c -> (r, s) -> { }),
        new Factories<>("header", Mutators::header),
        new Factories<>("cookie", Mutators::cookie),
        new Factories<>("id_token", Mutators::idToken),
        new Factories<>("hydrator", Mutators::hydrator));
  }

  private static Mutator header(HandlerConfig c) {
    if (!c.has("headers")) {
      throw c.invalid("headers", "is required");
    }
    Map<String, Template> headers = Templates.map(c, "headers");
    return (r, s) -> headers.forEach((k, t) -> s.setHeader(k, Templates.render(t, s)));
  }

  private static Mutator cookie(HandlerConfig c) {
    if (!c.has("cookies")) {
      throw c.invalid("cookies", "is required");
    }
    Map<String, Template> cookies = Templates.map(c, "cookies");
    return (r, s) -> {
      Map<String, String> jar = new LinkedHashMap<>(r.request().cookies());
      cookies.forEach((k, t) -> jar.put(k, Templates.render(t, s)));
      StringBuilder sb = new StringBuilder();
      jar.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
      s.setHeader("Cookie", sb.toString());
    };
  }

  private static Mutator idToken(HandlerConfig c) {
    String issuer = c.url("issuer_url").toString();
    Duration ttl = c.duration("ttl", Duration.ofMinutes(15));
    Template claims = c.has("claims") ? Templates.one(c, "claims", c.string("claims")) : null;
    String set = c.string("jwks_set", ID_TOKEN_SET);
    JwkSetManager keys = c.services().keys();
    IdTokenKeys fromUrl = c.has("jwks_url") ? new IdTokenKeys(c, jwksUrl(c)) : null;
    if (keys == null && fromUrl == null) {
      throw c.invalid("jwks_url", "is required (or give the builder a key manager: AccessRules.builder().keys(...))");
    }
    HandlerServices svc = c.services();
    // Like Oathkeeper, a token is reused for the same subject and claims while more than half its ttl is left.
    com.github.benmanes.caffeine.cache.Cache<String, String> issued = Caches.builder(svc, 10_000)
        .expireAfterWrite(ttl.dividedBy(2)).build();
    return new IdTokenMutator(fromUrl, (r, s) -> {
      String rendered = claims == null ? "" : Templates.render(claims, s);
      String cacheKey = Authenticators.sha256(issuer + "\u0000" + s.subject() + "\u0000" + rendered);
      String cached = issued.getIfPresent(cacheKey);
      if (cached != null) {
        s.setHeader("Authorization", "Bearer " + cached);
        return;
      }
      JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
      if (claims != null) {
        try {
          JsonNode n = svc.json().mapper().readTree(rendered);
          if (!(n instanceof ObjectNode o)) {
            throw Errors.internal("The id_token claims template did not render a JSON object.");
          }
          o.fields().forEachRemaining(e -> b.claim(e.getKey(), JsonPaths.plain(e.getValue())));
        } catch (java.io.IOException e) {
          throw Errors.internal("The id_token claims template did not render valid JSON.");
        }
      }
      Instant now = svc.clock().instant();
      b.issuer(issuer).subject(s.subject()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
          .expirationTime(Date.from(now.plus(ttl))).jwtID(svc.ids().nextString());
      try {
        JWK key = fromUrl != null ? fromUrl.signingKey() : keys.currentOrCreate(set, KeyAlgorithm.RS256);
        JWSAlgorithm alg = IdTokenKeys.algorithm(key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), b.build());
        jwt.sign(io.ory4j.core.keys.JwsKeys.signer(key));
        String serialized = jwt.serialize();
        issued.put(cacheKey, serialized);
        s.setHeader("Authorization", "Bearer " + serialized);
      } catch (JOSEException | IllegalArgumentException e) {
        throw Errors.internal("The id_token could not be signed.");
      }
    });
  }

  private static URI jwksUrl(HandlerConfig c) {
    try {
      URI u = new URI(c.string("jwks_url"));
      if (!u.isAbsolute()) {
        throw c.invalid("jwks_url", "must be an absolute file, http or https URL");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw c.invalid("jwks_url", "is not a URL");
    }
  }

  /** The id_token mutator; with a {@code jwks_url}, its keys are published with the rules API's JWKS. */
  public record IdTokenMutator(@org.jspecify.annotations.Nullable IdTokenKeys keys, Mutator delegate)
      implements Mutator {
    @Override
    public void mutate(io.ory4j.accessrules.spi.RequestContext request,
        io.ory4j.accessrules.spi.AuthenticationSession session) {
      delegate.mutate(request, session);
    }
  }

  private static Mutator hydrator(HandlerConfig c) {
    HandlerConfig api = c.object("api");
    URI url = api.url("url");
    HandlerConfig basic = api.object("auth").object("basic");
    String auth = basic.has("username") ? "Basic " + Base64.getEncoder().encodeToString((basic.string("username")
        + ":" + basic.string("password")).getBytes(StandardCharsets.UTF_8)) : null;
    Duration timeout = api.duration("timeout", c.services().timeout());
    Remote.Retry retry = Remote.Retry.from(api);
    HandlerServices svc = c.services();
    HandlerConfig cacheConfig = c.object("cache");
    boolean cacheEnabled = cacheConfig.bool("enabled", false);
    com.github.benmanes.caffeine.cache.Cache<String, JsonNode> cache = Caches.builder(svc, 10_000)
        .expireAfterWrite(cacheConfig.duration("ttl", Duration.ofMinutes(1))).build();
    return (r, s) -> {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("subject", s.subject());
      body.put("extra", s.extra());
      body.put("header", s.header());
      Map<String, Object> mc = new LinkedHashMap<>();
      mc.put("regexp_capture_groups", s.matchContext().regexpCaptureGroups());
      mc.put("url", s.matchContext().url().toString());
      mc.put("method", s.matchContext().method());
      mc.put("header", s.matchContext().header());
      body.put("match_context", mc);
      // as Oathkeeper: the original request's headers, then the API's basic credentials and the JSON content type
      Map<String, String> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      r.request().headers().forEach((k, v) -> h.put(k, String.join(", ", v)));
      if (auth != null) {
        h.put("Authorization", auth);
      }
      h.put("Content-Type", "application/json");
      byte[] payload = svc.json().writeBytes(body);
      String key = cacheEnabled ? Authenticators.sha256(new String(payload, StandardCharsets.UTF_8)) : "";
      JsonNode n = cacheEnabled ? cache.getIfPresent(key) : null;
      if (n == null) {
        HttpResponse<byte[]> res = Remote.send(svc, "POST", url, h, payload, timeout, retry);
        if (res.statusCode() != 200) {
          throw Errors.internal("The hydrator API answered " + res.statusCode() + " but 200 was expected.");
        }
        try {
          n = svc.json().mapper().readTree(res.body());
        } catch (java.io.IOException e) {
          throw Errors.internal("The hydrator API answered with invalid JSON.");
        }
        if (cacheEnabled) {
          cache.put(key, n);
        }
      }
      if (n.hasNonNull("subject") && !n.get("subject").asText().equals(s.subject())) {
        throw Errors.internal("The hydrator API tried to change the subject.");
      }
      s.extra(JsonPaths.map(n, "extra"));
      JsonNode hd = n.path("header");
      if (hd.isObject()) {
        hd.fields().forEachRemaining(e -> {
          if (e.getValue().isArray() && e.getValue().size() > 0) {
            s.setHeader(e.getKey(), e.getValue().get(0).asText());
          } else if (e.getValue().isTextual()) {
            s.setHeader(e.getKey(), e.getValue().asText());
          }
        });
      }
    };
  }
}
