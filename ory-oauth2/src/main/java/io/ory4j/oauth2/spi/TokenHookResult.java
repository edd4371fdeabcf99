package io.ory4j.oauth2.spi;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A token hook's answer.
 *
 * @param outcome keep, replace or deny
 * @param accessTokenClaims the access token's new extra claims (for {@link Outcome#REPLACE})
 * @param idTokenClaims the ID token's new extra claims (for {@link Outcome#REPLACE})
 * @param reason why the request was denied (for {@link Outcome#DENY}), shown to the client as the error hint
 */
public record TokenHookResult(Outcome outcome, Map<String, Object> accessTokenClaims,
    Map<String, Object> idTokenClaims, @Nullable String reason) {

  /** What the hook decided. */
  public enum Outcome { UNCHANGED, REPLACE, DENY }

  public TokenHookResult {
    Objects.requireNonNull(outcome, "outcome");
    accessTokenClaims = Map.copyOf(accessTokenClaims);
    idTokenClaims = Map.copyOf(idTokenClaims);
  }

  /** Keep the session's claims (a web hook's 204). */
  public static TokenHookResult unchanged() {
    return new TokenHookResult(Outcome.UNCHANGED, Map.of(), Map.of(), null);
  }

  /**
   * Replace the session's extra claims (a web hook's 200): as Hydra, the access token's and the ID token's extra
   * claims become exactly these; to add a claim, return the context's claims with it.
   */
  public static TokenHookResult claims(Map<String, Object> accessToken, Map<String, Object> idToken) {
    return new TokenHookResult(Outcome.REPLACE, accessToken, idToken, null);
  }

  /** Deny the token request (a web hook's 403): the client gets {@code access_denied}. */
  public static TokenHookResult deny(@Nullable String reason) {
    return new TokenHookResult(Outcome.DENY, Map.of(), Map.of(), reason);
  }
}
