package io.ory4j.identity.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
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
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link LoginConsentProvider} with ory-oauth2 and ory-identity on embedded Jetty: a Nimbus relying party runs the
 * authorization code flow (PKCE, nonce) through it with a cookie-keeping browser: login through ory-identity's own
 * login flow, Hydra's skip and remembered consent, {@code prompt=login} and {@code max_age} through the refresh flow,
 * consent denial, first-party clients, CSRF, and logout revoking the Kratos session.
 */
class LoginConsentProviderJettyTest {

  private static final String CB = "https://client.example/cb";
  private static final String LOGGED_OUT = "https://client.example/logged-out";
  private static final String EMAIL = "alice@example.com";
  private static final String PASSWORD = "a-long-and-unusual-passphrase-42";

  private OAuth2IdentityServer s;
  private final Browser browser = new Browser();
  private String identityId;
  private CreatedClient client;

  private void start(UnaryOperator<LoginConsentProvider.Builder> customize) throws Exception {
    s = new OAuth2IdentityServer(customize);
    identityId = s.identities.registerWithPassword(null, OAuth2IdentityServer.JSON.readTree(
        "{\"email\":\"" + EMAIL + "\"}"), PASSWORD).identity().id().toString();
    client = s.provider.createClient(OAuth2Client.builder().clientName("Demo App").redirectUris(CB)
        .grantTypes("authorization_code", "refresh_token").responseTypes("code").scope("openid offline email")
        .postLogoutRedirectUris(LOGGED_OUT).build());
  }

  private void start() throws Exception {
    start(UnaryOperator.identity());
  }

  @AfterEach
  void stop() throws Exception {
    if (s != null) {
      s.close();
    }
  }

  /** One authorization request of the relying party: its URL, and the verifier and nonce it must check. */
  private record Authz(URI url, CodeVerifier verifier, Nonce nonce, State state) {}

  private Authz authz(String extra) {
    CodeVerifier verifier = new CodeVerifier();
    Nonce nonce = new Nonce();
    State state = new State();
    URI url = new AuthenticationRequest.Builder(new ResponseType("code"), new Scope("openid", "email"),
        new ClientID(client.client().id().value()), URI.create(CB)).state(state).nonce(nonce)
        .codeChallenge(verifier, CodeChallengeMethod.S256).endpointURI(s.base.resolve("/oauth2/auth")).build()
        .toURI();
    return new Authz(URI.create(url + extra), verifier, nonce, state);
  }

  /** Submits ory-identity's login flow the browser was sent to (its UI URL carries {@code ?flow=}). */
  private Browser.Page submitLogin(Browser.Page loginUi, String... extra) throws Exception {
    assertTrue(loginUi.url().getPath().equals("/login"), "expected the login UI, was " + loginUi.url());
    String flow = Browser.query(loginUi.url(), "flow").orElseThrow();
    String[] form = {"csrf_token", browser.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(), "method", "password",
        "identifier", EMAIL, "password", PASSWORD};
    String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(form), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
    return browser.post(s.base.resolve("/self-service/login?flow=" + flow), CB, all);
  }

  private Browser.Page allow(Browser.Page consent, boolean remember) throws Exception {
    assertTrue(consent.body().contains("name=\"decision\""), consent.url() + ": " + consent.body());
    List<String> form = new java.util.ArrayList<>(List.of("challenge", consent.field("challenge"), "csrf_token",
        consent.field("csrf_token"), "decision", "allow"));
    if (remember) {
      form.addAll(List.of("remember", "true"));
    }
    return browser.post(s.base.resolve("/ui/consent"), CB, form.toArray(String[]::new));
  }

  private Browser.Page decide(Browser.Page consent, String csrf, String decision) throws Exception {
    return browser.post(s.base.resolve("/ui/consent"), CB, "challenge", consent.field("challenge"), "csrf_token", csrf,
        "decision", decision);
  }

  /** Exchanges the code at the client's callback with Nimbus and returns the ID token's claims. */
  private JWTClaimsSet tokens(Browser.Page callback, Authz a) throws Exception {
    AuthorizationResponse res = AuthorizationResponse.parse(callback.url());
    assertTrue(res.indicatesSuccess(), callback.url().toString());
    assertEquals(a.state(), res.getState());
    AuthorizationCode code = ((AuthorizationSuccessResponse) res).getAuthorizationCode();
    TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(s.base.resolve("/oauth2/token"),
        new ClientSecretBasic(new ClientID(client.client().id().value()), new Secret(client.secret())),
        new AuthorizationCodeGrant(code, URI.create(CB), a.verifier())).toHTTPRequest().send());
    assertTrue(tr.indicatesSuccess(), () -> tr.toErrorResponse().getErrorObject().toJSONObject().toString());
    JWTClaimsSet id = ((OIDCTokenResponse) tr).getOIDCTokens().getIDToken().getJWTClaimsSet();
    assertEquals(a.nonce().getValue(), id.getStringClaim("nonce"));
    return id;
  }

  private String flowJson(URI ui) {
    try {
      return browser.send(HttpRequest.newBuilder(s.base.resolve("/self-service/login/flows?id="
          + Browser.query(ui, "flow").orElse(""))).build()).body();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private boolean visited(String path) {
    return browser.visited.stream().anyMatch(u -> u.getPath().equals(path));
  }

  /** A first sign-in with consent remembered; returns the ID token claims. */
  private JWTClaimsSet signIn(boolean rememberConsent) throws Exception {
    Authz a = authz("");
    Browser.Page login = browser.open(a.url(), CB);
    assertTrue(visited("/ui/login"), browser.visited.toString());
    assertTrue(visited("/self-service/login/browser"), browser.visited.toString());
    Browser.Page consent = submitLogin(login);
    assertEquals("/ui/consent", consent.url().getPath(), () -> browser.visited + " " + flowJson(consent.url()));
    assertTrue(consent.body().contains("Demo App") && consent.body().contains("email"), consent.body());
    return tokens(allow(consent, rememberConsent), a);
  }

  @Test
  void authorizeWhenNoSessionThenIdentityLoginFlowThenTokensForTheIdentity() throws Exception {
    start();
    JWTClaimsSet id = signIn(false);
    assertEquals(identityId, id.getSubject());
    assertEquals("aal1", id.getStringClaim("acr"));
    assertEquals(List.of("password"), id.getStringListClaim("amr"));
    assertEquals(EMAIL, id.getStringClaim("email"));
    assertTrue(browser.cookie(IdentityApi.SESSION_COOKIE).isPresent(), "the Kratos session cookie is set");
  }

  @Test
  void authorizeWhenRememberedThenNeitherLoginNorConsentIsShown() throws Exception {
    start();
    signIn(true);
    Authz again = authz("");
    Browser.Page callback = browser.open(again.url(), CB);
    assertTrue(callback.url().toString().startsWith(CB), callback.url() + " " + callback.body());
    assertFalse(visited("/self-service/login/browser"), "no login flow: " + browser.visited);
    assertTrue(visited("/ui/consent"), "consent skipped as remembered: " + browser.visited);
    assertEquals(identityId, tokens(callback, again).getSubject());
  }

  @Test
  void authorizeWhenSessionButNotRememberedByHydraThenAcceptedFromTheSessionWithoutLoginFlow() throws Exception {
    start();
    signIn(false);
    // a new OAuth 2.0 login (Hydra's cookie gone) with the Kratos session still there: accepted from the session
    browser.cookies.keySet().removeIf(name -> name.startsWith("ory_hydra"));
    Authz a = authz("");
    Browser.Page consent = browser.open(a.url(), CB);
    assertEquals("/ui/consent", consent.url().getPath(), browser.visited.toString());
    assertFalse(visited("/self-service/login/browser"), browser.visited.toString());
    assertEquals(identityId, tokens(allow(consent, false), a).getSubject());
  }

  @Test
  void authorizeWhenPromptLoginThenReauthenticatedThroughTheRefreshFlow() throws Exception {
    start();
    JWTClaimsSet first = signIn(true);
    s.clock.advance(Duration.ofMinutes(5));
    Authz a = authz("&prompt=login");
    Browser.Page refresh = browser.open(a.url(), CB);
    assertTrue(browser.visited.stream().anyMatch(u -> u.getPath().equals("/self-service/login/browser")
        && u.getQuery().contains("refresh=true")), browser.visited.toString());
    // coming back to the login page without re-authenticating does not pass
    URI loginPage = browser.visited.stream().filter(u -> u.getPath().equals("/ui/login")).findFirst().orElseThrow();
    Browser.Page again = browser.open(loginPage, CB);
    assertTrue(visited("/self-service/login/browser"), "still sent to re-authenticate: " + browser.visited);
    assertEquals(refresh.url().getPath(), again.url().getPath());
    Browser.Page callback = submitLogin(again);
    assertTrue(callback.url().toString().startsWith(CB), callback.url() + " " + callback.body());
    JWTClaimsSet id = tokens(callback, a);
    assertEquals(identityId, id.getSubject());
    assertNotEquals(first.getDateClaim("auth_time"), id.getDateClaim("auth_time"), "auth_time is the new login");
    assertEquals(s.clock.instant().getEpochSecond(), id.getDateClaim("auth_time").toInstant().getEpochSecond());
  }

  @Test
  void authorizeWhenSessionOlderThanMaxAgeThenReauthenticated() throws Exception {
    start();
    signIn(true);
    s.clock.advance(Duration.ofMinutes(10));
    Authz a = authz("&max_age=60");
    Browser.Page refresh = browser.open(a.url(), CB);
    assertEquals("/login", refresh.url().getPath(), browser.visited.toString());
    assertTrue(browser.visited.stream().anyMatch(u -> u.getPath().equals("/self-service/login/browser")
        && u.getQuery().contains("refresh=true")), browser.visited.toString());
    JWTClaimsSet id = tokens(submitLogin(refresh), a);
    assertEquals(s.clock.instant().getEpochSecond(), id.getDateClaim("auth_time").toInstant().getEpochSecond());
  }

  @Test
  void consentWhenDeniedThenAccessDeniedAtTheClient() throws Exception {
    start();
    Authz a = authz("");
    Browser.Page consent = submitLogin(browser.open(a.url(), CB));
    Browser.Page callback = decide(consent, consent.field("csrf_token"), "deny");
    AuthorizationResponse res = AuthorizationResponse.parse(callback.url());
    assertFalse(res.indicatesSuccess());
    assertEquals("access_denied", ((AuthorizationErrorResponse) res).getErrorObject().getCode());
  }

  @Test
  void consentWhenFirstPartyClientThenGrantedWithoutAPage() throws Exception {
    // the client id is chosen up front, so it can be configured as first-party
    start(b -> b.firstPartyClients(Set.of(new ClientId("first-party"))));
    client = s.provider.createClient(OAuth2Client.builder().clientId("first-party").redirectUris(CB)
        .grantTypes("authorization_code").responseTypes("code").scope("openid email").build());
    Authz a = authz("");
    Browser.Page callback = submitLogin(browser.open(a.url(), CB));
    assertTrue(callback.url().toString().startsWith(CB), callback.url() + " " + callback.body());
    assertTrue(visited("/ui/consent"), browser.visited.toString());
    assertEquals(identityId, tokens(callback, a).getSubject());
  }

  @Test
  void consentWhenCsrfTokenMissingOrWrongThen403AndNothingGranted() throws Exception {
    start();
    Authz a = authz("");
    Browser.Page consent = submitLogin(browser.open(a.url(), CB));
    Browser.Page forged = decide(consent, "forged", "allow");
    assertEquals(403, forged.status());
    assertTrue(forged.body().contains("security_csrf_violation"), forged.body());
    // the real form still works afterwards
    assertEquals(identityId, tokens(allow(consent, false), a).getSubject());
  }

  @Test
  void logoutWhenRpInitiatedThenKratosSessionRevoked() throws Exception {
    start();
    Authz a = authz("");
    Browser.Page callback = allow(submitLogin(browser.open(a.url(), CB)), false);
    String token = browser.cookie(IdentityApi.SESSION_COOKIE).orElseThrow();
    AuthorizationCode code = ((AuthorizationSuccessResponse) AuthorizationResponse.parse(callback.url()))
        .getAuthorizationCode();
    TokenResponse tr = OIDCTokenResponseParser.parse(new TokenRequest(s.base.resolve("/oauth2/token"),
        new ClientSecretBasic(new ClientID(client.client().id().value()), new Secret(client.secret())),
        new AuthorizationCodeGrant(code, URI.create(CB), a.verifier())).toHTTPRequest().send());
    String idToken = ((OIDCTokenResponse) tr).getOIDCTokens().getIDTokenString();
    Browser.Page out = browser.open(s.base.resolve("/oauth2/sessions/logout?id_token_hint=" + idToken
        + "&post_logout_redirect_uri=" + Browser.enc(LOGGED_OUT) + "&state=bye"), LOGGED_OUT);
    assertTrue(out.url().toString().startsWith(LOGGED_OUT), out.url() + " " + out.body());
    assertTrue(visited("/ui/logout"), browser.visited.toString());
    assertTrue(s.identities.whoami(token).isEmpty(), "the Kratos session is revoked");
    assertTrue(browser.cookie(IdentityApi.SESSION_COOKIE).isEmpty(), "the session cookie is cleared");
  }

  @Test
  void logoutWhenBrowserInitiatedThenConfirmedThenKratosSessionRevoked() throws Exception {
    start();
    signIn(false);
    String token = browser.cookie(IdentityApi.SESSION_COOKIE).orElseThrow();
    Browser.Page confirm = browser.open(s.base.resolve("/oauth2/sessions/logout"), LOGGED_OUT);
    assertEquals("/ui/logout", confirm.url().getPath());
    assertTrue(s.identities.whoami(token).isPresent(), "nothing revoked before the confirmation");
    Browser.Page done = browser.post(s.base.resolve("/ui/logout"), LOGGED_OUT, "challenge", confirm.field(
        "challenge"), "csrf_token", confirm.field("csrf_token"), "decision", "yes");
    assertEquals("/ui/logged-out", done.url().getPath(), browser.visited.toString());
    assertEquals(200, done.status());
    assertTrue(s.identities.whoami(token).isEmpty(), "the Kratos session is revoked");
  }

  @Test
  void loginWhenChallengeMissingThenOryError400() throws Exception {
    start();
    var res = browser.send(HttpRequest.newBuilder(s.base.resolve("/ui/login")).build());
    assertEquals(400, res.statusCode());
    assertTrue(res.body().contains("login_challenge"), res.body());
    var unknown = browser.send(HttpRequest.newBuilder(s.base.resolve("/ui/login?login_challenge=nope")).build());
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertTrue(unknown.body().startsWith("{\"error\""), unknown.body());
  }

  @Test
  void pagesWhenServedThenNotFramedNotCachedAndStrictCsp() throws Exception {
    start();
    Authz a = authz("");
    Browser.Page consent = submitLogin(browser.open(a.url(), CB));
    var res = browser.send(HttpRequest.newBuilder(s.base.resolve("/ui/logged-out")).build());
    assertEquals("DENY", res.headers().firstValue("X-Frame-Options").orElse(""));
    assertEquals("no-store", res.headers().firstValue("Cache-Control").orElse(""));
    assertTrue(res.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    assertTrue(consent.body().contains("csrf_token"));
    Browser.Jar csrf = browser.cookies.get(LoginConsentProvider.CSRF_COOKIE);
    assertTrue(csrf != null && csrf.httpOnly() && csrf.path().equals("/ui"), "CSRF cookie: HttpOnly, /ui: " + csrf);
  }

  @Test
  void loginWhenIdentityHasASecondFactorThenTheAal2FlowBeforeAcceptAndAcrAal2() throws Exception {
    start();
    java.util.UUID id = java.util.UUID.fromString(identityId);
    IdentityService.TotpEnrolment e = s.identities.startTotpEnrolment(id, "test");
    s.identities.confirmTotp(id, e.url(), totp(e.secret()));
    Authz a = authz("");
    Browser.Page secondFactor = submitLogin(browser.open(a.url(), CB));
    assertEquals("/login", secondFactor.url().getPath(), browser.visited.toString());
    assertTrue(browser.visited.stream().anyMatch(u -> u.getPath().equals("/self-service/login/browser")
        && u.getQuery().contains("aal=aal2")), browser.visited.toString());
    s.clock.advance(Duration.ofSeconds(30)); // a code is used once: the next step's
    Browser.Page consent = browser.post(s.base.resolve("/self-service/login?flow=" + Browser.query(secondFactor.url(),
        "flow").orElseThrow()), CB, "csrf_token", browser.cookie(IdentityApi.CSRF_COOKIE).orElseThrow(), "method",
        "totp", "totp_code", totp(e.secret()));
    assertEquals("/ui/consent", consent.url().getPath(), browser.visited.toString());
    JWTClaimsSet idToken = tokens(allow(consent, false), a);
    assertEquals("aal2", idToken.getStringClaim("acr"));
    assertEquals(List.of("password", "totp"), idToken.getStringListClaim("amr"));
  }

  private String totp(String secret) {
    return io.ory4j.identity.internal.Totp.code(io.ory4j.identity.internal.Totp.fromBase32(secret).orElseThrow(),
        io.ory4j.identity.internal.Totp.step(s.clock.instant().getEpochSecond()));
  }
}
