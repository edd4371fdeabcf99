package io.ory4j.accessrules.internal.handlers;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.accessrules.spi.Authenticator;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerServices;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oathkeeper's {@code jwt} authenticator: verifies a JWT against keys from {@code jwks_urls} (http(s) or file,
 * cached for {@code jwks_ttl}), restricted to {@code allowed_algorithms}, then checks exp/nbf/iat, issuer, audience
 * and scope. Subject is {@code sub}; extra is every claim.
 */
final class JwtAuthenticator {
  private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);

  private JwtAuthenticator() {}

  static Authenticator create(HandlerConfig c) {
    List<String> urls = c.strings("jwks_urls");
    if (urls.isEmpty()) {
      throw c.invalid("jwks_urls", "is required and must list at least one JWKS URL");
    }
    List<URI> jwks = new ArrayList<>();
    for (String u : urls) {
      try {
        URI uri = URI.create(u);
        if (!List.of("http", "https", "file").contains(String.valueOf(uri.getScheme()))) {
          throw c.invalid("jwks_urls", "must be http, https or file URLs: " + u);
        }
        jwks.add(uri);
      } catch (IllegalArgumentException e) {
        throw c.invalid("jwks_urls", "is not a URL: " + u);
      }
    }
    List<String> algs = c.has("allowed_algorithms") ? c.strings("allowed_algorithms") : List.of("RS256");
    List<String> required = c.strings("required_scope");
    List<String> audience = c.strings("target_audience");
    List<String> issuers = c.strings("trusted_issuers");
    ScopeStrategy strategy;
    try {
      strategy = ScopeStrategy.parse(c.string("scope_strategy", "none"));
    } catch (IllegalArgumentException e) {
      throw c.invalid("scope_strategy", e.getMessage());
    }
    if (strategy == ScopeStrategy.NONE && !required.isEmpty()) {
      strategy = ScopeStrategy.EXACT;
    }
    ScopeStrategy scopes = strategy;
    Tokens tokens = Tokens.from(c);
    Duration ttl = c.duration("jwks_ttl", Duration.ofSeconds(30));
    Duration timeout = c.duration("jwks_max_wait", c.services().timeout());
    HandlerServices svc = c.services();
    // the last set each URL served: when a refresh fails (the URL is down or slow), tokens keep being verified
    // with it, and the refresh is tried again after another jwks_ttl
    Map<URI, JWKSet> lastGood = new java.util.concurrent.ConcurrentHashMap<>();
    LoadingCache<URI, JWKSet> cache = Caches.builder(svc, 100).expireAfterWrite(ttl).build(u -> {
      try {
        JWKSet set = fetch(svc, u, timeout);
        lastGood.put(u, set);
        return set;
      } catch (io.ory4j.core.error.OryException e) {
        JWKSet previous = lastGood.get(u);
        if (previous == null) {
          throw e;
        }
        log.warn("JWKS {} could not be refreshed, the keys fetched before stay in use: {}", u.getHost(),
            e.error().reason());
        return previous;
      }
    });
    DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
    // Oathkeeper fetches the key sets again when a token names a key they do not hold (key rotation); ory4j does it
    // at most once a second per URL, so tokens with made-up key ids cannot flood the JWKS server
    Map<URI, java.time.Instant> refreshedAt = new java.util.concurrent.ConcurrentHashMap<>();
    return (r, s) -> {
      String token = tokens.extract(r.request());
      if (token == null) {
        return false;
      }
      SignedJWT jwt;
      JWTClaimsSet claims;
      try {
        jwt = SignedJWT.parse(token);
        claims = jwt.getJWTClaimsSet();
      } catch (ParseException e) {
        throw Errors.unauthorized("The JSON Web Token is malformed.");
      }
      JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
      if (!algs.contains(alg.getName())) {
        throw Errors.unauthorized("JSON Web Token used signing method " + alg.getName()
            + " which is not allowed.");
      }
      String kid = jwt.getHeader().getKeyID();
      if (kid == null || kid.isEmpty()) { // Oathkeeper's verifier requires it
        throw Errors.unauthorized("The JSON Web Token must contain a kid header value but did not.");
      }
      if (jwks.stream().noneMatch(u -> cache.get(u).getKeyByKeyId(kid) != null)) {
        java.time.Instant now = svc.clock().instant();
        for (URI u : jwks) {
          java.time.Instant last = refreshedAt.get(u);
          if (last == null || !now.isBefore(last.plusSeconds(1))) {
            refreshedAt.put(u, now);
            cache.invalidate(u);
          }
        }
      }
      boolean verified = false;
      for (URI u : jwks) {
        JWKSet set = cache.get(u);
        for (JWK k : set.getKeys()) {
          if (!kid.equals(k.getKeyID()) || (k.getAlgorithm() != null
              && !k.getAlgorithm().getName().equals(alg.getName()))) {
            continue;
          }
          try {
            JWSVerifier v = k instanceof com.nimbusds.jose.jwk.OctetKeyPair okp ? io.ory4j.core.keys.JwsKeys.verifier(okp)
                : verifiers.createJWSVerifier(jwt.getHeader(), key(k));
            if (jwt.verify(v)) {
              verified = true;
              break;
            }
          } catch (JOSEException | RuntimeException e) {
            // not this key
          }
        }
        if (verified) {
          break;
        }
      }
      if (!verified) {
        throw Errors.unauthorized("The JSON Web Token signature is invalid or no key verifies it.");
      }
      Date now = Date.from(svc.clock().instant());
      if (claims.getExpirationTime() != null && !now.before(claims.getExpirationTime())) {
        throw Errors.unauthorized("The JSON Web Token is expired.");
      }
      if (claims.getNotBeforeTime() != null && now.before(claims.getNotBeforeTime())) {
        throw Errors.unauthorized("The JSON Web Token is not valid yet.");
      }
      if (claims.getIssueTime() != null && now.before(claims.getIssueTime())) {
        throw Errors.unauthorized("The JSON Web Token was issued in the future.");
      }
      if (!issuers.isEmpty() && (claims.getIssuer() == null || !issuers.contains(claims.getIssuer()))) {
        throw Errors.unauthorized("Token issuer does not match any trusted issuer.");
      }
      List<String> aud = claims.getAudience() == null ? List.of() : claims.getAudience();
      for (String a : audience) {
        if (!aud.contains(a)) {
          throw Errors.unauthorized("Token audience is not intended for target audience " + a + ".");
        }
      }
      if (!required.isEmpty()) {
        List<String> granted = grantedScopes(claims);
        for (String sc : required) {
          if (!scopes.matches(granted, sc)) {
            throw Errors.unauthorized("JSON Web Token is missing required scope " + sc + ".");
          }
        }
      }
      Map<String, Object> extra = new LinkedHashMap<>();
      claims.toJSONObject().forEach((k, v) -> extra.put(k, v));
      s.subject(claims.getSubject() == null ? "" : claims.getSubject());
      s.extra(extra);
      return true;
    };
  }

  private static java.security.Key key(JWK k) throws JOSEException {
    return switch (k.getKeyType().getValue()) {
      case "RSA" -> k.toRSAKey().toRSAPublicKey();
      case "EC" -> k.toECKey().toECPublicKey();
      case "oct" -> k.toOctetSequenceKey().toSecretKey();
      default -> throw new JOSEException("unsupported key type " + k.getKeyType());
    };
  }

  private static List<String> grantedScopes(JWTClaimsSet claims) {
    List<String> out = new ArrayList<>();
    for (String name : List.of("scp", "scope", "scopes")) {
      Object v = claims.getClaim(name);
      if (v instanceof String str) {
        for (String p : str.split(" ")) {
          if (!p.isEmpty()) {
            out.add(p);
          }
        }
      } else if (v instanceof List<?> l) {
        l.forEach(x -> out.add(String.valueOf(x)));
      }
    }
    return out;
  }

  private static JWKSet fetch(HandlerServices svc, URI u, Duration timeout) {
    try {
      String body;
      if ("file".equals(u.getScheme())) {
        body = Files.readString(Path.of(u), StandardCharsets.UTF_8);
      } else {
        HttpResponse<byte[]> res = Remote.send(svc, "GET", u, Map.of("Accept", "application/json"), new byte[0],
            timeout);
        if (res.statusCode() != 200) {
          throw Errors.internal("The JWKS at " + u.getHost() + " answered " + res.statusCode());
        }
        body = new String(res.body(), StandardCharsets.UTF_8);
      }
      return JWKSet.parse(body);
    } catch (java.io.IOException | ParseException e) {
      throw Errors.internal("The JWKS at " + u + " could not be read.");
    }
  }
}
