package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A successful token response, in Hydra's JSON ({@code token_type} is {@code bearer}); a token exchange (RFC 8693
 * section 2.2.1) adds {@code issued_token_type}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(@JsonProperty("access_token") String accessToken,
    @JsonProperty("expires_in") long expiresIn, @JsonProperty("scope") String scope,
    @JsonProperty("token_type") String tokenType, @JsonProperty("refresh_token") @Nullable String refreshToken,
    @JsonProperty("id_token") @Nullable String idToken,
    @JsonProperty("issued_token_type") @Nullable String issuedTokenType) {

  public TokenResponse {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tokenType, "tokenType");
  }

  /** A response of a grant other than token exchange (no {@code issued_token_type}). */
  public TokenResponse(String accessToken, long expiresIn, String scope, String tokenType,
      @Nullable String refreshToken, @Nullable String idToken) {
    this(accessToken, expiresIn, scope, tokenType, refreshToken, idToken, null);
  }

  /** A copy with {@code issued_token_type} (RFC 8693). */
  public TokenResponse withIssuedTokenType(String v) {
    return new TokenResponse(accessToken, expiresIn, scope, tokenType, refreshToken, idToken, v);
  }

  @Override
  public String toString() {
    return "TokenResponse[tokens redacted, scope=" + scope + "]";
  }
}
