package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a token hook sees, as Hydra's token hook request ({@code session} and {@code request}).
 *
 * @param clientId the client the token is issued to ({@code request.client_id})
 * @param subject the resource owner, or null for a client's own token
 * @param grantTypes the grant type of the token request ({@code request.grant_types})
 * @param grantedScopes {@code request.granted_scopes}
 * @param grantedAudience {@code request.granted_audience}
 * @param payload the token request's {@code grant_type}, {@code scope}, {@code client_id} and {@code assertion}
 *     parameters, as Hydra passes them ({@code request.payload}); never a secret
 * @param accessTokenClaims the extra claims of the access token ({@code session.extra})
 * @param idTokenClaims the extra claims of the ID token ({@code session.id_token.id_token_claims.ext})
 */
public record TokenHookContext(ClientId clientId, @Nullable String subject, List<String> grantTypes,
    List<String> grantedScopes, List<String> grantedAudience, Map<String, List<String>> payload,
    Map<String, Object> accessTokenClaims, Map<String, Object> idTokenClaims) {

  public TokenHookContext {
    Objects.requireNonNull(clientId, "clientId");
    grantTypes = List.copyOf(grantTypes);
    grantedScopes = List.copyOf(grantedScopes);
    grantedAudience = List.copyOf(grantedAudience);
    payload = Map.copyOf(payload);
    accessTokenClaims = Map.copyOf(accessTokenClaims);
    idTokenClaims = Map.copyOf(idTokenClaims);
  }
}
