package io.ory4j.accessrules.internal.handlers;

import com.github.benmanes.caffeine.cache.Cache;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Map;

/**
 * The id_token mutator's {@code jwks_url}: a JSON Web Key Set with private keys (file, http or https), as in
 * Oathkeeper, signing with its first private key; fetched when first needed and kept for five minutes (by the
 * injected clock); a failed refresh keeps the keys it had. The public halves are published at
 * {@code /.well-known/jwks.json}.
 */
public final class IdTokenKeys {

  /** How long fetched keys are used before they are fetched again. */
  static final Duration TTL = Duration.ofMinutes(5);

  private final URI url;
  private final HandlerServices services;
  private final Duration timeout;
  private final Cache<String, JWKSet> fresh;
  private volatile JWKSet last;

  IdTokenKeys(HandlerConfig c, URI url) {
    this.url = url;
    this.services = c.services();
    this.timeout = c.duration("timeout", services.timeout());
    this.fresh = Caches.builder(services, 1).expireAfterWrite(TTL).build();
    if ("file".equals(url.getScheme())) { // a local file is checked when the rule loads
      try {
        signingKey(read());
      } catch (RuntimeException e) {
        throw c.invalid("jwks_url", e.getMessage());
      }
    } else if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw c.invalid("jwks_url", "must be a file, http or https URL");
    }
  }

  /** The key to sign with: the first private RSA, EC or Ed25519 key of the set. */
  JWK signingKey() {
    JWKSet set = fresh.getIfPresent("k");
    if (set == null) {
      try {
        set = read();
        signingKey(set);
        fresh.put("k", set);
        last = set;
      } catch (RuntimeException e) {
        if (last == null) {
          throw Errors.internal("The id_token keys at " + url.getScheme() + "://" + url.getHost()
              + " could not be loaded: " + e.getMessage());
        }
        set = last; // the keys still work; try again on a later request
      }
    }
    return signingKey(set);
  }

  /** The public halves, for {@code /.well-known/jwks.json} (empty when they cannot be fetched yet). */
  public JWKSet publicKeys() {
    try {
      signingKey(); // fetches (and caches) the set when it is not held yet
    } catch (RuntimeException e) {
      return new JWKSet();
    }
    JWKSet set = fresh.getIfPresent("k");
    return (set != null ? set : last).toPublicJWKSet();
  }

  /** The JWS algorithm of a key: its {@code alg}, else the usual one for its type. */
  static JWSAlgorithm algorithm(JWK key) {
    if (key.getAlgorithm() != null) {
      return JWSAlgorithm.parse(key.getAlgorithm().getName());
    }
    if (key instanceof RSAKey) {
      return JWSAlgorithm.RS256;
    }
    if (key instanceof ECKey ec) {
      Curve crv = ec.getCurve();
      return Curve.P_384.equals(crv) ? JWSAlgorithm.ES384 : Curve.P_521.equals(crv) ? JWSAlgorithm.ES512
          : JWSAlgorithm.ES256;
    }
    return JWSAlgorithm.EdDSA;
  }

  private static JWK signingKey(JWKSet set) {
    for (JWK k : set.getKeys()) {
      if (k.isPrivate() && (k instanceof RSAKey || k instanceof ECKey || k instanceof OctetKeyPair)) {
        return k;
      }
    }
    throw new IllegalArgumentException("holds no private RSA, EC or Ed25519 key to sign with");
  }

  private JWKSet read() {
    String text;
    if ("file".equals(url.getScheme())) {
      try {
        text = Files.readString(Path.of(url), StandardCharsets.UTF_8);
      } catch (IOException | IllegalArgumentException e) {
        throw new IllegalArgumentException("cannot be read: " + e.getClass().getSimpleName());
      }
    } else {
      HttpResponse<byte[]> res = Remote.send(services, "GET", url, Map.of("Accept", "application/json"),
          new byte[0], timeout);
      if (res.statusCode() != 200) {
        throw new IllegalArgumentException("answered " + res.statusCode());
      }
      text = new String(res.body(), StandardCharsets.UTF_8);
    }
    try {
      return JWKSet.parse(text);
    } catch (ParseException e) {
      throw new IllegalArgumentException("is not a JSON Web Key Set");
    }
  }
}
