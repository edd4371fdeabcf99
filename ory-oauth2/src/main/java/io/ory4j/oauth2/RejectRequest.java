package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** A rejection of a login or consent request, sent back to the client as an OAuth 2.0 error. */
public record RejectRequest(@JsonProperty("error") @Nullable String error,
    @JsonProperty("error_description") @Nullable String errorDescription,
    @JsonProperty("error_hint") @Nullable String errorHint, @JsonProperty("error_debug") @Nullable String errorDebug,
    @JsonProperty("status_code") int statusCode) {

  /** {@code access_denied} with a description. */
  public static RejectRequest accessDenied(String description) {
    return new RejectRequest("access_denied", description, null, null, 403);
  }
}
