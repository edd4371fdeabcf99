package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A successful token response, in Hydra's JSON ({@code token_type} is {@code bearer}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(@JsonProperty("access_token") String accessToken,
    @JsonProperty("expires_in") long expiresIn, @JsonProperty("scope") String scope,
    @JsonProperty("token_type") String tokenType, @JsonProperty("refresh_token") @Nullable String refreshToken,
    @JsonProperty("id_token") @Nullable String idToken) {

  public TokenResponse {
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(tokenType, "tokenType");
  }

  @Override
  public String toString() {
    return "TokenResponse[tokens redacted, scope=" + scope + "]";
  }
}
