package io.ory4j.oauth2.internal;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.TokenExchangeSettings;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.TokenExchangeContext;
import io.ory4j.oauth2.spi.TokenExchangeDecision;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 Token Exchange (RFC 8693): validates the subject and actor tokens (this provider's access tokens, opaque or
 * JWT, and, when enabled, JWTs of trusted issuers), narrows the scope (never widens it), checks the targets against
 * the client's audience, builds the {@code act} claim (nested for a chain of delegation, section 4.1), honours
 * {@code may_act} (section 4.4), and asks the {@link io.ory4j.oauth2.spi.TokenExchangePolicy}. Errors are those of
 * section 2.2.2.
 */
public final class TokenExchange {

  /** The grant type. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
  public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  public static final String REFRESH_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:refresh_token";
  public static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";

  private static final Logger log = LoggerFactory.getLogger(TokenExchange.class);

  /** What the exchange issues. */
  public record Plan(String subject, List<String> scope, List<String> audience, Map<String, Object> ext,
      @Nullable Map<String, Object> act, boolean refreshToken, String issuedTokenType) {
    public Plan {
      scope = List.copyOf(scope);
      audience = List.copyOf(audience);
      ext = Map.copyOf(ext);
    }
  }

  /** A validated subject or actor token. */
  private record Presented(String subject, String issuer, @Nullable ClientId clientId, List<String> scopes,
      Map<String, Object> ext, @Nullable Map<String, Object> act, @Nullable Map<String, Object> mayAct) {}

  private final TokenExchangeSettings settings;
  private final TrustedIssuerStore trust;
  private final Clock clock;
  private final String issuer;
  private final boolean wildcardScopes;
  private final Function<String, Optional<TokenSession>> lookup;

  /**
   * @param lookup finds the session of one of this provider's tokens (opaque, or a JWT it signed)
   */
  public TokenExchange(TokenExchangeSettings settings, TrustedIssuerStore trust, Clock clock, String issuer,
      boolean wildcardScopes, Function<String, Optional<TokenSession>> lookup) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.wildcardScopes = wildcardScopes;
    this.lookup = Objects.requireNonNull(lookup, "lookup");
  }

  private static @Nullable String first(Map<String, List<String>> form, String name) {
    List<String> v = form.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  private static OAuth2Exception invalidTarget(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_target", "The requested resource is invalid, missing, "
        + "unknown, or malformed.", hint, null, 400));
  }

  /** The proofs of possession the token request carries, to use a sender-constrained token. */
  public record Possession(@Nullable String dpopJkt, java.util.function.Supplier<@Nullable String> certThumbprint) {}

  /**
   * Validates a token exchange request of {@code client} (authenticated, allowed the grant type). A sender-constrained
   * subject or actor token (DPoP {@code cnf.jkt}, certificate {@code cnf.x5t#S256}) is accepted only with its proof
   * in {@code possession}: exchanging must not strip the binding off a stolen token.
   */
  public Plan plan(OAuth2Client client, Map<String, List<String>> form, List<String> audienceParam,
      Possession possession) {
    String subjectToken = first(form, "subject_token");
    String subjectType = first(form, "subject_token_type");
    if (subjectToken == null || subjectType == null) {
      throw OAuth2Exception.invalidRequest("The subject_token and subject_token_type parameters are required (RFC "
          + "8693, section 2.1).");
    }
    String actorToken = first(form, "actor_token");
    String actorType = first(form, "actor_token_type");
    if ((actorToken == null) != (actorType == null)) {
      throw OAuth2Exception.invalidRequest("The actor_token_type parameter is required with actor_token, and must "
          + "not be sent without it (RFC 8693, section 2.1).");
    }
    String requested = Objects.requireNonNullElse(first(form, "requested_token_type"), ACCESS_TOKEN_TYPE);
    boolean refresh = REFRESH_TOKEN_TYPE.equals(requested);
    if (!ACCESS_TOKEN_TYPE.equals(requested) && !refresh) {
      throw OAuth2Exception.invalidRequest("The requested_token_type '" + requested + "' is not supported; use '"
          + ACCESS_TOKEN_TYPE + "'.");
    }
    if (refresh && !(settings.refreshTokens() && client.grantTypes().contains("refresh_token"))) {
      throw OAuth2Exception.invalidRequest("A refresh token cannot be requested by token exchange"
          + (settings.refreshTokens() ? " by a client without the 'refresh_token' grant type." : " here."));
    }
    Presented subject = presented(client, subjectToken, subjectType, "subject_token", possession);
    Presented actor = actorToken == null ? null : presented(client, actorToken, Objects.requireNonNull(actorType),
        "actor_token", possession);
    if (subject.mayAct() != null && actor != null && !mayAct(subject.mayAct(), actor)) {
      log.warn("token exchange by client {}: the actor is not named in the subject token's may_act", client.id());
      throw OAuth2Exception.invalidRequest("The actor_token's subject is not allowed to act for the subject (the "
          + "subject_token's may_act claim, RFC 8693 section 4.4).");
    }
    List<String> scope = scope(client, subject, form);
    List<String> audience = audience(client, audienceParam, form.get("resource"));
    Map<String, Object> act = subject.act();
    if (actor != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("sub", actor.subject());
      if (!issuer.equals(actor.issuer())) {
        a.put("iss", actor.issuer());
      }
      if (actor.clientId() != null) {
        a.put("client_id", actor.clientId().value());
      }
      if (subject.act() != null) {
        a.put("act", subject.act());
      }
      act = a;
    }
    TokenExchangeDecision d = settings.policy().decide(new TokenExchangeContext(client.id(), subject.subject(),
        subjectType, subject.issuer(), subject.clientId(), subject.scopes(), actor == null ? null : actor.subject(),
        actorType, scope, audience, requested, act == null ? Map.of() : act));
    if (d == null || d.outcome() != TokenExchangeDecision.Outcome.PERMIT) {
      log.warn("token exchange by client {} refused by the policy", client.id());
      String hint = d == null || d.reason() == null ? "The token exchange was refused by policy." : d.reason();
      throw switch (d == null ? TokenExchangeDecision.Outcome.INVALID_REQUEST : d.outcome()) {
        case INVALID_TARGET -> invalidTarget(hint);
        case UNAUTHORIZED_CLIENT -> OAuth2Exception.unauthorizedClient(hint);
        default -> OAuth2Exception.invalidRequest(hint);
      };
    }
    log.debug("token exchange by client {} ({} actor)", client.id(), actor == null ? "without" : "with");
    return new Plan(subject.subject(), scope, audience, subject.ext(), act, refresh,
        refresh ? REFRESH_TOKEN_TYPE : ACCESS_TOKEN_TYPE);
  }

  private static boolean mayAct(Map<String, Object> mayAct, Presented actor) {
    Object sub = mayAct.get("sub");
    Object iss = mayAct.get("iss");
    return sub != null && sub.equals(actor.subject()) && (iss == null || iss.equals(actor.issuer()));
  }

  /** The requested scope, each within the subject token's and the client's; none requested: the subject's. */
  private List<String> scope(OAuth2Client client, Presented subject, Map<String, List<String>> form) {
    List<String> requested = Scopes.split(first(form, "scope"));
    if (requested.isEmpty()) {
      return subject.scopes().stream().filter(s -> Scopes.matches(wildcardScopes, client.scopes(), s)).toList();
    }
    for (String s : requested) {
      if (!Scopes.matches(wildcardScopes, subject.scopes(), s)) {
        throw OAuth2Exception.invalidScope("The requested scope '" + s + "' is not a scope of the subject_token: a "
            + "token exchange can only narrow the scope.");
      }
      if (!Scopes.matches(wildcardScopes, client.scopes(), s)) {
        throw OAuth2Exception.invalidScope("The OAuth 2.0 Client is not allowed to request scope '" + s + "'.");
      }
    }
    return requested;
  }

  /** {@code audience} and {@code resource} (absolute URIs without a fragment), each in the client's audience. */
  private static List<String> audience(OAuth2Client client, List<String> audience, @Nullable List<String> resources) {
    List<String> out = new ArrayList<>(audience);
    for (String r : resources == null ? List.<String>of() : resources) {
      try {
        URI u = new URI(r);
        if (!u.isAbsolute() || u.getFragment() != null) {
          throw invalidTarget("The resource '" + r + "' must be an absolute URI without a fragment (RFC 8693, "
              + "section 2.1).");
        }
      } catch (URISyntaxException e) {
        throw invalidTarget("The resource '" + r + "' is not a URI.");
      }
      if (!out.contains(r)) {
        out.add(r);
      }
    }
    for (String a : out) {
      if (!client.audience().contains(a)) {
        throw invalidTarget("Requested audience '" + a + "' has not been whitelisted by the OAuth 2.0 Client.");
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private Presented presented(OAuth2Client client, String token, String type, String param, Possession possession) {
    if (!ACCESS_TOKEN_TYPE.equals(type) && !JWT_TYPE.equals(type)) {
      throw OAuth2Exception.invalidRequest("The " + param + "_type '" + type + "' is not supported; use '"
          + ACCESS_TOKEN_TYPE + "' or '" + JWT_TYPE + "'.");
    }
    boolean jwtShape = token.chars().filter(ch -> ch == '.').count() == 2 && !token.startsWith("ory_");
    if (JWT_TYPE.equals(type) && !jwtShape) {
      throw OAuth2Exception.invalidRequest("The " + param + " is not a JWT, but its type is '" + JWT_TYPE + "'.");
    }
    Instant now = clock.instant();
    Optional<TokenSession> own = lookup.apply(token);
    if (own.isPresent()) {
      TokenSession s = own.get();
      if (s.kind() != TokenKind.ACCESS_TOKEN || !s.active() || !now.isBefore(s.expiresAt())) {
        throw invalidToken(client, param);
      }
      // the session keys of OAuth2Provider's DPoP and certificate bindings
      Object jkt = s.data().get("cnf_jkt");
      if (jkt != null && !ConstantTime.equals(jkt.toString(), possession.dpopJkt())) {
        log.warn("token exchange by client {}: the {} is DPoP-bound and came without its key's proof", client.id(),
            param);
        throw OAuth2Exception.invalidRequest("The " + param + " is DPoP-bound: send a DPoP proof of its key with the "
            + "token exchange request.");
      }
      Object x5t = s.data().get("cnf_x5t");
      if (x5t != null && !ConstantTime.equals(x5t.toString(), possession.certThumbprint().get())) {
        log.warn("token exchange by client {}: the {} is certificate-bound and came without its certificate",
            client.id(), param);
        throw OAuth2Exception.invalidRequest("The " + param + " is bound to a client certificate: make the token "
            + "exchange request over mutual TLS with that certificate.");
      }
      Object ext = s.data().get("ext");
      Object act = s.data().get("act");
      return new Presented(s.subject() != null ? s.subject() : s.clientId().value(), issuer, s.clientId(),
          s.scopes(), ext instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of(),
          act instanceof Map<?, ?> m2 ? (Map<String, Object>) m2 : null, null);
    }
    if (JWT_TYPE.equals(type) && settings.trustedIssuerJwts()) {
      return trustedJwt(client, token, param, now);
    }
    throw invalidToken(client, param);
  }

  private OAuth2Exception invalidToken(OAuth2Client client, String param) {
    log.warn("token exchange by client {}: the {} is unknown, invalid, expired or revoked", client.id(), param);
    return OAuth2Exception.invalidRequest("The " + param + " is invalid, expired or revoked.");
  }

  /** A JWT of a trusted issuer: a live relationship of its {@code iss} and {@code sub} whose key verifies it. */
  @SuppressWarnings("unchecked")
  private Presented trustedJwt(OAuth2Client client, String token, String param, Instant now) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      String iss = claims.getIssuer();
      String sub = claims.getSubject();
      if (iss == null || iss.isEmpty() || sub == null || sub.isEmpty() || claims.getExpirationTime() == null
          || !now.isBefore(claims.getExpirationTime().toInstant())
          || (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant()))) {
        throw invalidToken(client, param);
      }
      String kid = jwt.getHeader().getKeyID();
      for (TrustedJwtGrantIssuer t : trust.findActive(iss, sub, now)) {
        if ((kid == null || kid.isEmpty() || t.keyId().equals(kid)) && JwtBearerGrant.verifies(jwt, t)) {
          Object act = claims.getClaim("act");
          Object mayAct = claims.getClaim("may_act");
          return new Presented(sub, iss, null, t.scope(), Map.of(),
              act instanceof Map<?, ?> m ? (Map<String, Object>) m : null,
              mayAct instanceof Map<?, ?> m2 ? (Map<String, Object>) m2 : null);
        }
      }
      throw invalidToken(client, param);
    } catch (ParseException | RuntimeException e) {
      if (e instanceof OAuth2Exception o) {
        throw o;
      }
      throw invalidToken(client, param);
    }
  }
}
