package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token exchange about to be made.
 *
 * @param clientId the (authenticated) client asking
 * @param subject the subject of {@code subject_token}: whom the new token is about
 * @param subjectTokenType the {@code subject_token_type}
 * @param subjectIssuer who issued the subject token (this provider's issuer, or a trusted issuer's)
 * @param subjectClientId the client the subject token was issued to, when this provider issued it
 * @param subjectScopes the scopes of the subject token (or of the trust relationship, for a trusted issuer's JWT)
 * @param actor the subject of {@code actor_token}, or null when there is none (impersonation)
 * @param actorTokenType the {@code actor_token_type}, or null
 * @param scope the scope of the new token
 * @param audience the audience of the new token ({@code audience} and {@code resource} parameters)
 * @param requestedTokenType the token type asked for
 * @param act the {@code act} claim the new token will carry, or empty
 */
public record TokenExchangeContext(ClientId clientId, String subject, String subjectTokenType, String subjectIssuer,
    @Nullable ClientId subjectClientId, List<String> subjectScopes, @Nullable String actor,
    @Nullable String actorTokenType, List<String> scope, List<String> audience, String requestedTokenType,
    Map<String, Object> act) {

  public TokenExchangeContext {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(subjectTokenType, "subjectTokenType");
    Objects.requireNonNull(subjectIssuer, "subjectIssuer");
    subjectScopes = List.copyOf(subjectScopes);
    scope = List.copyOf(scope);
    audience = List.copyOf(audience);
    Objects.requireNonNull(requestedTokenType, "requestedTokenType");
    act = Map.copyOf(act);
  }
}
