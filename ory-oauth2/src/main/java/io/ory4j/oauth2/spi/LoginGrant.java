package io.ory4j.oauth2.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the login app said when it accepted a login request. */
public record LoginGrant(String subject, boolean remember, long rememberFor, String acr, List<String> amr,
    Map<String, Object> context, Instant authenticatedAt, @Nullable String forceSubjectIdentifier) {
  public LoginGrant {
    Objects.requireNonNull(subject, "subject");
    acr = acr == null ? "" : acr;
    amr = amr == null ? List.of() : List.copyOf(amr);
    context = context == null ? Map.of() : Map.copyOf(context);
    Objects.requireNonNull(authenticatedAt, "authenticatedAt");
  }
}
