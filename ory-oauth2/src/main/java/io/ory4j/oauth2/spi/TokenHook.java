package io.ory4j.oauth2.spi;

/**
 * An in-process token hook with the contract of Hydra's {@code oauth2.token_hook}: called before the token endpoint
 * issues an access token, for every grant, with the session's claims; it keeps them
 * ({@link TokenHookResult#unchanged()}, a web hook's 204), replaces them ({@link TokenHookResult#claims}, a 200 with
 * {@code session.access_token} and {@code session.id_token}), or denies the request ({@link TokenHookResult#deny},
 * a 403: the client gets {@code access_denied}). A hook that throws fails the request with {@code server_error}.
 */
@FunctionalInterface
public interface TokenHook {

  TokenHookResult onTokenRequest(TokenHookContext context);
}
