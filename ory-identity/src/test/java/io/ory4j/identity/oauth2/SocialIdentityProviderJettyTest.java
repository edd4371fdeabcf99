package io.ory4j.identity.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.OidcProvider;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Both parts together: "Sign in with <your app>" (ory-oauth2 + the login and consent provider) for a user who signs
 * in to your app only with "Sign in with <upstream>" (social sign-in, another ory-oauth2 as the upstream). A Nimbus
 * relying party runs the code flow; the login goes through the identity login flow's oidc button; {@code prompt=login}
 * re-authenticates through the upstream again (the refresh flow offers the linked provider only).
 */
class SocialIdentityProviderJettyTest {

  private static final String CB = "https://client.example/cb";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final Browser browser = new Browser();
  private UpstreamOp up;
  private OAuth2IdentityServer s;
  private CreatedClient client;

  @AfterEach
  void stop() throws Exception {
    if (s != null) {
      s.close();
    }
    if (up != null) {
      up.close();
    }
  }

  private void start() throws Exception {
    up = new UpstreamOp(clock, OAuth2IdentityServer.JSON);
    s = new OAuth2IdentityServer(clock, b -> b, (base, b) -> {
      CreatedClient atUpstream = up.client(base, "upstream");
      return b.hooks(SelfServiceHooks.none().withRegistrationAfter(List.of(SelfServiceHooks.Hook.session())))
          .oidcProviders(List.of(OidcProvider.generic("upstream", up.issuer, atUpstream.client().id().value(),
              atUpstream.secret(), Map.of("/email", "/email"))));
    });
    client = s.provider.createClient(OAuth2Client.builder().clientName("Demo App").redirectUris(CB)
        .grantTypes("authorization_code").responseTypes("code").scope("openid email").build());
  }

  private record Authz(URI url, CodeVerifier verifier, Nonce nonce) {}

  private Authz authz(String extra) {
    CodeVerifier verifier = new CodeVerifier();
    Nonce nonce = new Nonce();
    return new Authz(URI.create(new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid",
        "email"), new ClientID(client.client().id().value()), URI.create(CB)).state(new State()).nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(s.base.resolve("/oauth2/auth")).build()
        .toURI() + extra), verifier, nonce);
  }

  /** Presses the upstream's button on the identity login flow the browser was sent to; follows to the next page. */
  private Browser.Page signInWithUpstream(Browser.Page loginUi) throws Exception {
    assertEquals("/login", loginUi.url().getPath(), browser.visited.toString());
    return browser.post(s.base.resolve("/self-service/login?flow=" + Browser.query(loginUi.url(), "flow")
        .orElseThrow()), CB, "csrf_token", browser.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(), "provider",
        "upstream");
  }

  private JWTClaimsSet allowAndExchange(Browser.Page consent, Authz a) throws Exception {
    assertEquals("/ui/consent", consent.url().getPath(), browser.visited.toString());
    Browser.Page callback = browser.post(s.base.resolve("/ui/consent"), CB, "challenge", consent.field("challenge"),
        "csrf_token", consent.field("csrf_token"), "decision", "allow");
    AuthorizationCode code = ((AuthorizationSuccessResponse) AuthorizationResponse.parse(callback.url()))
        .getAuthorizationCode();
    TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(s.base.resolve("/oauth2/token"),
        new ClientSecretBasic(new ClientID(client.client().id().value()), new Secret(client.secret())),
        new AuthorizationCodeGrant(code, URI.create(CB), a.verifier())).toHTTPRequest().send());
    JWTClaimsSet id = ((OIDCTokenResponse) tr).getOIDCTokens().getIDToken().getJWTClaimsSet();
    assertEquals(a.nonce().getValue(), id.getStringClaim("nonce"));
    return id;
  }

  @Test
  void authorizeWhenUserSignsInOnlyWithTheUpstreamThenTokensForTheNewIdentityAndPromptLoginGoesUpstreamAgain()
      throws Exception {
    start();
    Authz first = authz("");
    JWTClaimsSet id = allowAndExchange(signInWithUpstream(browser.open(first.url(), CB)), first);
    String identity = s.identities.findByOidcSubject("upstream", "upstream-user-1").orElseThrow().id().toString();
    assertEquals(identity, id.getSubject());
    assertEquals(List.of("oidc"), id.getStringListClaim("amr"));
    assertEquals("sam@example.com", id.getStringClaim("email"));

    clock.advance(Duration.ofMinutes(5));
    Authz again = authz("&prompt=login");
    Browser.Page refresh = browser.open(again.url(), CB);
    assertTrue(browser.visited.stream().anyMatch(u -> u.getPath().equals("/self-service/login/browser")
        && u.getQuery().contains("refresh=true")), browser.visited.toString());
    Browser.Page consent = signInWithUpstream(refresh);
    assertTrue(browser.visited.stream().anyMatch(u -> "localhost".equals(u.getHost())), "through the upstream again");
    JWTClaimsSet reauthenticated = allowAndExchange(consent, again);
    assertEquals(identity, reauthenticated.getSubject());
    assertEquals(clock.instant().getEpochSecond(), reauthenticated.getDateClaim("auth_time").toInstant()
        .getEpochSecond());
  }
}
