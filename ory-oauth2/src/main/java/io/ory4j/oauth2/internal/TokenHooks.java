package io.ory4j.oauth2.internal;

import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.spi.TokenHook;
import io.ory4j.oauth2.spi.TokenHookContext;
import io.ory4j.oauth2.spi.TokenHookResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the token hooks before a token endpoint answer, in Hydra's order: the refresh token hook (refresh grant only),
 * then the token hook, then the in-process hooks; each sees the claims the previous one left.
 */
public final class TokenHooks {

  private static final Logger log = LoggerFactory.getLogger(TokenHooks.class);
  /** The form parameters a hook sees (fosite's Sanitize with {@code assertion} allowed): never a credential. */
  private static final Set<String> PAYLOAD = Set.of("grant_type", "response_type", "scope", "client_id", "assertion");

  /** The session's extra claims after the hooks. */
  public record Claims(Map<String, Object> accessToken, Map<String, Object> idToken) {
    public Claims {
      accessToken = Map.copyOf(accessToken);
      idToken = Map.copyOf(idToken);
    }
  }

  private final @Nullable TokenHook refreshHook;
  private final @Nullable TokenHook tokenHook;
  private final List<TokenHook> inProcess;

  public TokenHooks(@Nullable TokenHook refreshHook, @Nullable TokenHook tokenHook, List<TokenHook> inProcess) {
    this.refreshHook = refreshHook;
    this.tokenHook = tokenHook;
    this.inProcess = List.copyOf(inProcess);
  }

  /** True when any hook is configured. */
  public boolean active() {
    return refreshHook != null || tokenHook != null || !inProcess.isEmpty();
  }

  /** The claims after every hook; throws {@code access_denied} or {@code server_error} as the hooks decide. */
  public Claims run(OAuth2Client client, String grantType, Map<String, List<String>> form, @Nullable String subject,
      List<String> scope, List<String> audience, Map<String, Object> accessToken, Map<String, Object> idToken) {
    Claims claims = new Claims(accessToken, idToken);
    if (!active()) {
      return claims;
    }
    Map<String, List<String>> payload = new LinkedHashMap<>();
    form.forEach((k, v) -> {
      if (PAYLOAD.contains(k)) {
        payload.put(k, v);
      }
    });
    payload.putIfAbsent("grant_type", List.of(grantType));
    if ("refresh_token".equals(grantType) && refreshHook != null) {
      claims = apply(refreshHook, client, grantType, payload, subject, scope, audience, claims);
    }
    if (tokenHook != null) {
      claims = apply(tokenHook, client, grantType, payload, subject, scope, audience, claims);
    }
    for (TokenHook h : inProcess) {
      claims = apply(h, client, grantType, payload, subject, scope, audience, claims);
    }
    return claims;
  }

  private static Claims apply(TokenHook hook, OAuth2Client client, String grantType,
      Map<String, List<String>> payload, @Nullable String subject, List<String> scope, List<String> audience,
      Claims claims) {
    TokenHookResult r;
    try {
      r = hook.onTokenRequest(new TokenHookContext(client.id(), subject, List.of(grantType), scope, audience, payload,
          claims.accessToken(), claims.idToken()));
    } catch (OAuth2Exception e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("token hook {} failed for client {}: {}", hook.getClass().getName(), client.id(), e.toString());
      throw new OAuth2Exception(new OAuth2Error("server_error", "An error occurred while executing the token hook.",
          null, e.toString(), 500));
    }
    if (r == null) {
      throw new OAuth2Exception(new OAuth2Error("server_error", "An error occurred while executing the token hook.",
          null, "the token hook returned no result", 500));
    }
    return switch (r.outcome()) {
      case UNCHANGED -> claims;
      case REPLACE -> new Claims(r.accessTokenClaims(), r.idTokenClaims());
      case DENY -> {
        log.warn("token hook denied a token for client {}", client.id());
        throw new OAuth2Exception(new OAuth2Error("access_denied", "The token hook target responded with an error.",
            r.reason(), null, 403));
      }
    };
  }
}
