package io.ory4j.oauth2;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The consent app's answer that grants ({@code PUT .../consent/accept}).
 *
 * @param grantScope the granted scopes (a subset of the requested ones)
 * @param grantAudience the granted audience
 * @param remember remember the consent so later flows of this client skip it
 * @param rememberFor seconds to remember it; 0 for ever
 * @param session claims for the access token ({@code ext}) and the ID token
 */
public record AcceptConsent(@JsonProperty("grant_scope") @Nullable List<String> grantScope,
    @JsonProperty("grant_access_token_audience") @Nullable List<String> grantAudience,
    @JsonProperty("remember") boolean remember, @JsonProperty("remember_for") long rememberFor,
    @JsonProperty("session") @Nullable Session session) {

  public AcceptConsent {
    grantScope = grantScope == null ? List.of() : List.copyOf(grantScope);
    grantAudience = grantAudience == null ? List.of() : List.copyOf(grantAudience);
    session = session == null ? new Session(null, null) : session;
  }

  /** The claims to add to the tokens. */
  public record Session(@JsonProperty("access_token") @Nullable Map<String, Object> accessToken,
      @JsonProperty("id_token") @Nullable Map<String, Object> idToken) {
    public Session {
      accessToken = accessToken == null ? Map.of() : accessToken;
      idToken = idToken == null ? Map.of() : idToken;
    }
  }

  /** Grants these scopes, without remembering. */
  public static AcceptConsent scopes(List<String> scopes) {
    return new AcceptConsent(scopes, List.of(), false, 0, null);
  }

  public AcceptConsent remember(long seconds) {
    return new AcceptConsent(grantScope, grantAudience, true, seconds, session);
  }

  public AcceptConsent withSession(Map<String, Object> accessTokenClaims, Map<String, Object> idTokenClaims) {
    return new AcceptConsent(grantScope, grantAudience, remember, rememberFor,
        new Session(accessTokenClaims, idTokenClaims));
  }
}
