package io.ory4j.oauth2.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the consent app said when it accepted a consent request. */
public record ConsentGrant(List<String> grantScope, List<String> grantAudience, boolean remember, long rememberFor,
    Map<String, Object> accessTokenClaims, Map<String, Object> idTokenClaims, Instant handledAt) {
  public ConsentGrant {
    grantScope = List.copyOf(grantScope);
    grantAudience = List.copyOf(grantAudience);
    accessTokenClaims = Map.copyOf(accessTokenClaims);
    idTokenClaims = Map.copyOf(idTokenClaims);
    Objects.requireNonNull(handledAt, "handledAt");
  }
}
