package io.ory4j.oauth2.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.json.OryJson;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.DocumentFetcher;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect request objects (OIDC Core 1.0 section 6, RFC 9101): the {@code request} parameter, or a
 * {@code request_uri} the client registered in {@code request_uris}, holding a JWT signed with a key of the client's
 * {@code jwks} / {@code jwks_uri} (or unsigned, {@code alg: none}, where the client does not pin another
 * {@code request_object_signing_alg}, as Hydra). Its claims replace the query parameters of the same name; the scope
 * is the object's scope plus any query scope it lacks (as Hydra).
 */
public final class RequestObjects {

  private static final Logger log = LoggerFactory.getLogger(RequestObjects.class);

  private final String issuer;
  private final Clock clock;
  private final ClientAuthenticator keys;
  private final DocumentFetcher fetcher;
  private final OryJson json;
  private final boolean enabled;

  private final boolean fapi2;

  public RequestObjects(String issuer, Clock clock, ClientAuthenticator keys, DocumentFetcher fetcher, OryJson json,
      boolean enabled) {
    this(issuer, clock, keys, fetcher, json, enabled, false);
  }

  /** With {@code fapi2}, only request objects signed with PS256, ES256 or EdDSA are accepted (FAPI 2.0). */
  public RequestObjects(String issuer, Clock clock, ClientAuthenticator keys, DocumentFetcher fetcher, OryJson json,
      boolean enabled, boolean fapi2) {
    this.fapi2 = fapi2;
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.keys = Objects.requireNonNull(keys, "keys");
    this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
    this.json = Objects.requireNonNull(json, "json");
    this.enabled = enabled;
  }

  /** True when {@code request} and {@code request_uri} are accepted (advertised in discovery). */
  public boolean enabled() {
    return enabled;
  }

  /** {@code invalid_request_object} (OIDC Core 1.0 section 3.1.2.6). */
  public static OAuth2Exception invalidRequestObject(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_request_object", "The request parameter contains an invalid "
        + "Request Object.", hint, null, 400));
  }

  /** {@code invalid_request_uri} (OIDC Core 1.0 section 3.1.2.6). */
  public static OAuth2Exception invalidRequestUri(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_request_uri", "The request_uri in the Authorization Request "
        + "returns an error or contains invalid data.", hint, null, 400));
  }

  private static String first(Map<String, List<String>> p, String name) {
    List<String> v = p.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  /**
   * The authorization request parameters with the request object's claims applied; {@code params} unchanged when
   * there is no {@code request} or {@code request_uri}.
   */
  public Map<String, List<String>> resolve(OAuth2Client client, Map<String, List<String>> params) {
    String request = first(params, "request");
    String requestUri = first(params, "request_uri");
    if (request == null && requestUri == null) {
      return params;
    }
    if (!enabled) {
      String which = request != null ? "request" : "request_uri";
      throw new OAuth2Exception(new OAuth2Error(which + "_not_supported", "The OP does not support use of the "
          + which + " parameter.", null, null, 400));
    }
    if (request != null && requestUri != null) {
      throw OAuth2Exception.invalidRequest("OpenID Connect parameters 'request' and 'request_uri' were both given, "
          + "but you can use at most one.");
    }
    if (client.jwks() == null && client.jwksUri().isEmpty()) {
      throw OAuth2Exception.invalidRequest("OpenID Connect 'request' or 'request_uri' context was given, but the OAuth "
          + "2.0 Client does not have any JSON Web Keys registered.");
    }
    String assertion = request != null ? request : fetch(client, requestUri);
    JWTClaimsSet claims = verify(client, assertion);
    return merge(params, claims, client);
  }

  private String fetch(OAuth2Client client, String location) {
    if (!client.requestUris().contains(location)) {
      throw invalidRequestUri("Request URI '" + location + "' is not whitelisted by the OpenID Connect client. Use "
          + "one of the values in the client's 'request_uris'.");
    }
    DocumentFetcher.Document doc;
    try {
      doc = fetcher.fetch(URI.create(location));
    } catch (java.io.IOException | IllegalArgumentException e) {
      log.warn("could not fetch the request_uri of client {}: {}", client.id(), e.toString());
      throw invalidRequestUri("Unable to fetch OpenID Connect request parameters from 'request_uri' because: "
          + e.getMessage() + ".");
    }
    if (doc.status() != 200) {
      throw invalidRequestUri("Unable to fetch OpenID Connect request parameters from 'request_uri' because status "
          + "code '200' was expected, but got '" + doc.status() + "'.");
    }
    return doc.body().trim();
  }

  private JWTClaimsSet verify(OAuth2Client client, String assertion) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(assertion);
    } catch (java.text.ParseException e) {
      throw invalidRequestObject("The request object is not a JWT.");
    }
    if (jwt instanceof EncryptedJWT) {
      throw invalidRequestObject("Encrypted request objects are not supported.");
    }
    String alg = jwt.getHeader().getAlgorithm().getName();
    String pinned = client.requestObjectSigningAlg();
    if (!pinned.isEmpty() && !pinned.equals(alg)) {
      throw invalidRequestObject("The request object uses signing algorithm '" + alg + "', but the requested OAuth "
          + "2.0 Client enforces signing algorithm '" + pinned + "'.");
    }
    if (!ClientRegistry.REQUEST_OBJECT_ALGS.contains(alg)) {
      throw invalidRequestObject("This request object uses unsupported signing algorithm '" + alg + "'.");
    }
    if (fapi2 && !io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS.contains(alg)) {
      throw invalidRequestObject("The request object is signed with '" + alg + "'; the FAPI 2.0 Security Profile "
          + "allows " + io.ory4j.oauth2.SecuritySettings.FAPI2_ALGORITHMS + ".");
    }
    if (jwt instanceof SignedJWT signed) {
      boolean ok;
      try {
        ok = signed.getHeader().getAlgorithm().equals(JWSAlgorithm.parse(alg)) && keys.verifiedByClientKey(client,
            signed);
      } catch (OAuth2Exception e) {
        ok = false;
      }
      if (!ok) {
        log.warn("request object of client {} failed signature verification", client.id());
        throw invalidRequestObject("Unable to verify the request object's signature.");
      }
    } else if (!(jwt instanceof PlainJWT)) {
      throw invalidRequestObject("The request object is neither signed nor unsecured.");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      throw invalidRequestObject("The claims of the request object are not a JSON object.");
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() != null && !claims.getExpirationTime().toInstant().isAfter(now)) {
      throw invalidRequestObject("Unable to verify the request object because its claims could not be validated, "
          + "check if the expiry time is set correctly.");
    }
    if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)) {
      throw invalidRequestObject("The request object is not valid yet (claim 'nbf').");
    }
    if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now)) {
      throw invalidRequestObject("The request object was issued in the future (claim 'iat').");
    }
    if (claims.getAudience() != null && !claims.getAudience().isEmpty() && !claims.getAudience().contains(issuer)
        && !claims.getAudience().contains(issuer + "/")) {
      throw invalidRequestObject("Claim 'aud' of the request object must be or include the issuer '" + issuer
          + "' (OpenID Connect Core 1.0, section 6.1).");
    }
    if (claims.getClaim("request") != null || claims.getClaim("request_uri") != null) {
      throw invalidRequestObject("A request object must not contain the 'request' or 'request_uri' parameter "
          + "(RFC 9101, section 4).");
    }
    return claims;
  }

  private Map<String, List<String>> merge(Map<String, List<String>> params, JWTClaimsSet claims, OAuth2Client client) {
    for (String name : List.of("client_id", "response_type")) {
      Object v = claims.getClaim(name);
      String query = first(params, name);
      if (v != null && query != null && !Objects.equals(String.valueOf(v), query)) {
        throw invalidRequestObject("Parameter '" + name + "' of the request object does not match the one of the "
            + "authorization request (OpenID Connect Core 1.0, section 6.1).");
      }
    }
    Map<String, List<String>> out = new LinkedHashMap<>(params);
    out.remove("request");
    out.remove("request_uri");
    List<String> queryScope = Scopes.split(first(params, "scope"));
    for (Map.Entry<String, Object> e : claims.getClaims().entrySet()) {
      if (List.of("iss", "aud", "exp", "iat", "nbf", "jti").contains(e.getKey()) || e.getValue() == null) {
        continue;
      }
      out.put(e.getKey(), values(e.getKey(), e.getValue()));
    }
    List<String> scope = new ArrayList<>(Scopes.split(first(out, "scope")));
    for (String s : queryScope) {
      if (!scope.contains(s)) {
        scope.add(s);
      }
    }
    if (!scope.isEmpty()) {
      out.put("scope", List.of(String.join(" ", scope)));
    }
    log.debug("applied the request object of client {}", client.id());
    return out;
  }

  private List<String> values(String name, Object v) {
    if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof String)) {
      return "audience".equals(name) ? list.stream().map(String.class::cast).toList()
          : List.of(String.join(" ", list.stream().map(String.class::cast).toList()));
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      return List.of(json.write(v));
    }
    if (v instanceof Date d) {
      return List.of(Long.toString(d.toInstant().getEpochSecond()));
    }
    return List.of(String.valueOf(v));
  }
}
