package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 7662 introspection result in Hydra's shape. An inactive token has only {@code active: false}. {@code sub} is
 * the real subject; {@code obfuscated_subject} is the pairwise {@code sub} of the ID token, when the client is
 * {@code pairwise} (as Hydra). A DPoP-bound access token (RFC 9449 section 6.2) has {@code token_type: DPoP} and
 * {@code cnf.jkt}, the thumbprint of its key. A token issued by a token exchange with an actor (RFC 8693 section 4.1)
 * has {@code act}, the actor (and, nested, the prior actors).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Introspection(@JsonProperty("active") boolean active, @JsonProperty("scope") @Nullable String scope,
    @JsonProperty("client_id") @Nullable String clientId, @JsonProperty("sub") @Nullable String sub,
    @JsonProperty("exp") @Nullable Long exp, @JsonProperty("iat") @Nullable Long iat,
    @JsonProperty("nbf") @Nullable Long nbf, @JsonProperty("aud") @Nullable List<String> aud,
    @JsonProperty("iss") @Nullable String iss, @JsonProperty("token_type") @Nullable String tokenType,
    @JsonProperty("token_use") @Nullable String tokenUse, @JsonProperty("ext") @Nullable Map<String, Object> ext,
    @JsonProperty("obfuscated_subject") @Nullable String obfuscatedSubject,
    @JsonProperty("cnf") @Nullable Map<String, Object> cnf,
    @JsonProperty("act") @Nullable Map<String, Object> act) {

  /** An introspection result without {@code act}. */
  public Introspection(boolean active, @Nullable String scope, @Nullable String clientId, @Nullable String sub,
      @Nullable Long exp, @Nullable Long iat, @Nullable Long nbf, @Nullable List<String> aud, @Nullable String iss,
      @Nullable String tokenType, @Nullable String tokenUse, @Nullable Map<String, Object> ext,
      @Nullable String obfuscatedSubject, @Nullable Map<String, Object> cnf) {
    this(active, scope, clientId, sub, exp, iat, nbf, aud, iss, tokenType, tokenUse, ext, obfuscatedSubject, cnf,
        null);
  }

  /** The answer for a token that is unknown, expired, revoked or malformed. */
  public static Introspection inactive() {
    return new Introspection(false, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
