package io.ory4j.accessrules.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.accessrules.spi.SessionResolver;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.http.IdentityApi;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code cookie_session} and {@code bearer_token} answered by an embedded {@link IdentityService}: the session of the
 * {@code ory_kratos_session} cookie, the {@code X-Session-Token} header or an {@code Authorization: Bearer} token, as
 * Kratos' whoami JSON (so {@code subject_from: identity.id} works as with Kratos).
 */
public final class EmbeddedSessions {
  private EmbeddedSessions() {}

  public static SessionResolver of(IdentityService identities, OryJson json) {
    Objects.requireNonNull(identities, "identities");
    Objects.requireNonNull(json, "json");
    return request -> {
      Optional<String> token = request.cookie(IdentityApi.SESSION_COOKIE)
          .or(() -> request.header("X-Session-Token"))
          .or(() -> request.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
              .map(h -> h.substring(7).trim()));
      return token.flatMap(identities::whoami).map(s -> (JsonNode) json.toTree(s));
    };
  }
}
