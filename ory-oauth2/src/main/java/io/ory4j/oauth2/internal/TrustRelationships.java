package io.ory4j.oauth2.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import io.ory4j.oauth2.spi.TrustedIssuerStore;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hydra's {@code /admin/trust/grants/jwt-bearer/issuers}: creates, reads, lists and deletes trust relationships,
 * validating a new one as Hydra does ({@code missing_required_parameter} with Hydra's hints) and writing Hydra's
 * {@code trustedOAuth2JwtGrantIssuer} JSON.
 */
public final class TrustRelationships {

  private static final Logger log = LoggerFactory.getLogger(TrustRelationships.class);
  private static final int MAX_LENGTH = 255;

  private final TrustedIssuerStore store;
  private final IdGenerator ids;
  private final Clock clock;
  private final OryJson json;

  public TrustRelationships(TrustedIssuerStore store, IdGenerator ids, Clock clock, OryJson json) {
    this.store = Objects.requireNonNull(store, "store");
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = Objects.requireNonNull(json, "json");
  }

  /** Creates a relationship from Hydra's {@code trustOAuth2JwtGrantIssuer} request body. */
  public TrustedJwtGrantIssuer create(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw OAuth2Exception.invalidRequest("The request body must be a JSON object.");
    }
    String issuer = text(body, "issuer");
    String subject = text(body, "subject");
    JsonNode anyNode = body.path("allow_any_subject");
    if (!anyNode.isMissingNode() && !anyNode.isNull() && !anyNode.isBoolean()) {
      throw OAuth2Exception.invalidRequest("Field 'allow_any_subject' must be a boolean.");
    }
    boolean any = anyNode.asBoolean(false);
    List<String> scope = scopes(body.path("scope"));
    if (issuer.isEmpty()) {
      throw missing("Field 'issuer' is required.");
    }
    if (subject.isEmpty() && !any) {
      throw missing("One of 'subject' or 'allow_any_subject' field must be set.");
    }
    if (!subject.isEmpty() && any) {
      throw missing("Both 'subject' and 'allow_any_subject' fields cannot be set at the same time.");
    }
    String expires = text(body, "expires_at");
    if (expires.isEmpty()) {
      throw missing("Field 'expires_at' is required.");
    }
    Instant expiresAt;
    try {
      expiresAt = roundToSecond(OffsetDateTime.parse(expires).toInstant());
    } catch (DateTimeParseException e) {
      throw OAuth2Exception.invalidRequest("Field 'expires_at' must be an RFC 3339 date-time.");
    }
    JWK jwk = jwk(body.path("jwk"));
    if (jwk.getKeyID() == null || jwk.getKeyID().isEmpty()) {
      throw missing("Field 'jwk' must contain JWK with kid header.");
    }
    for (String[] f : new String[][] {{"issuer", issuer}, {"subject", subject}, {"jwk.kid", jwk.getKeyID()}}) {
      if (f[1].length() > MAX_LENGTH) {
        throw OAuth2Exception.invalidRequest("Field '" + f[0] + "' must be at most " + MAX_LENGTH + " characters.");
      }
    }
    TrustedJwtGrantIssuer t = new TrustedJwtGrantIssuer(ids.nextString(), issuer, subject, any, scope,
        jwk.getKeyID(), jwk.toPublicJWK().toJSONObject(), roundToSecond(clock.instant()), expiresAt);
    try {
      store.create(t);
    } catch (DuplicateException e) {
      throw OryException.conflict("Unable to insert or update resource because a resource with that value exists "
          + "already").withReason("a trust relationship for this issuer, subject and key id exists already");
    }
    log.info("trust relationship {} created for JWT bearer issuer {}", t.id(), issuer);
    return t;
  }

  public TrustedJwtGrantIssuer get(String id) {
    return store.find(id).orElseThrow(TrustRelationships::notFound);
  }

  public Page<TrustedJwtGrantIssuer> list(PageRequest page, @Nullable String issuer) {
    return store.list(page, issuer);
  }

  public void delete(String id) {
    if (!store.delete(id)) {
      throw notFound();
    }
    log.info("trust relationship {} deleted", id);
  }

  /** Hydra's {@code trustedOAuth2JwtGrantIssuer} JSON. */
  public static Map<String, Object> toJson(TrustedJwtGrantIssuer t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("issuer", t.issuer());
    m.put("subject", t.subject());
    m.put("allow_any_subject", t.allowAnySubject());
    m.put("scope", t.scope());
    m.put("public_key", Map.of("set", t.issuer(), "kid", t.keyId()));
    m.put("created_at", t.createdAt().toString());
    m.put("expires_at", t.expiresAt().toString());
    return m;
  }

  private static OryException notFound() {
    return OryException.notFound("Unable to locate the resource")
        .withReason("the trust relationship does not exist");
  }

  private static OAuth2Exception missing(String hint) {
    return new OAuth2Exception(new OAuth2Error("missing_required_parameter",
        "One of the required parameters is missing. Check your request parameters.", hint, null, 400));
  }

  private static Instant roundToSecond(Instant i) {
    return i.plusMillis(500).truncatedTo(ChronoUnit.SECONDS);
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return "";
    }
    if (!n.isTextual()) {
      throw OAuth2Exception.invalidRequest("Field '" + field + "' must be a string.");
    }
    return n.asText();
  }

  private static List<String> scopes(JsonNode n) {
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw OAuth2Exception.invalidRequest("Field 'scope' must be an array of strings.");
    }
    for (JsonNode s : n) {
      if (!s.isTextual() || s.asText().isBlank() || s.asText().contains(" ")) {
        throw OAuth2Exception.invalidRequest("Field 'scope' must be an array of scope strings without spaces.");
      }
      out.add(s.asText());
    }
    return out;
  }

  private JWK jwk(JsonNode n) {
    if (!n.isObject()) {
      throw missing("Field 'jwk' is required.");
    }
    JWK key;
    try {
      key = JWK.parse(json.write(n));
    } catch (java.text.ParseException | RuntimeException e) {
      throw OAuth2Exception.invalidRequest("Field 'jwk' must be a JSON Web Key (RFC 7517).");
    }
    if (key.isPrivate() || !(key instanceof com.nimbusds.jose.jwk.AsymmetricJWK)) {
      throw OAuth2Exception.invalidRequest("Field 'jwk' must contain a public RSA, EC or OKP key.");
    }
    return key;
  }
}
