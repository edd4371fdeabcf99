package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Item 3: a code issued for an S256 challenge cannot be redeemed without its verifier, with another verifier or with
 * the challenge itself; {@code plain} is refused (Hydra's default); a public client must use PKCE.
 */
class PkceDowngradeTest extends ServerTest {

  private static final String VERIFIER = "pkce-verifier-of-the-security-test-0123456789-abcdef";

  private String clientId;
  private String secret;

  @BeforeAll
  void start() throws Exception {
    JsonNode c = f.confidentialClient();
    clientId = c.get("client_id").asText();
    secret = c.get("client_secret").asText();
  }

  private String s256Code() throws Exception {
    return SecurityFixture.code(f.authorize(query(clientId) + "&code_challenge=" + SecurityFixture.s256(VERIFIER)
        + "&code_challenge_method=S256"));
  }

  private static String query(String client) {
    return "response_type=code&client_id=" + TestBrowser.enc(client) + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=openid&state=state-0123456789";
  }

  private HttpResponse<String> redeem(String code, String verifierParam) throws Exception {
    return f.token(clientId, secret, "grant_type=authorization_code&code=" + code + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + verifierParam);
  }

  private void assertInvalidGrant(HttpResponse<String> r, String description) throws Exception {
    f.assertOAuth2Error(r, 400, "invalid_grant");
    assertTrue(f.json.readTree(r.body()).get("error_description").asText().endsWith(description), r.body());
  }

  @Test
  void tokenWhenS256CodeRedeemedWithoutVerifierThenInvalidGrant() throws Exception {
    assertInvalidGrant(redeem(s256Code(), ""), "The PKCE code verifier must be at least 43 characters.");
  }

  @Test
  void tokenWhenS256CodeRedeemedWithAnotherVerifierThenInvalidGrant() throws Exception {
    assertInvalidGrant(redeem(s256Code(), "&code_verifier=" + VERIFIER.replace('0', '1')),
        "The PKCE code challenge did not match the code verifier.");
  }

  @Test
  void tokenWhenS256CodeRedeemedWithTheChallengeAsVerifierThenInvalidGrant() throws Exception {
    assertInvalidGrant(redeem(s256Code(), "&code_verifier=" + SecurityFixture.s256(VERIFIER)),
        "The PKCE code challenge did not match the code verifier.");
  }

  @Test
  void tokenWhenS256CodeRedeemedWithItsVerifierThenTokens() throws Exception {
    HttpResponse<String> r = redeem(s256Code(), "&code_verifier=" + VERIFIER);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(f.json.readTree(r.body()).has("access_token"));
  }

  @Test
  void authorizeWhenPlainMethodThenRefusedToTheRegisteredRedirectUri() throws Exception {
    HttpResponse<String> r = new TestBrowser().send(HttpRequest.newBuilder(f.pub.resolve("/oauth2/auth?"
        + query(clientId) + "&code_challenge=" + VERIFIER + "&code_challenge_method=plain")));
    URI to = URI.create(r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(r.body())));
    assertEquals(303, r.statusCode(), "fosite answers authorize errors with 303 See Other");
    assertTrue(to.toString().startsWith(SecurityFixture.CALLBACK + "?error=invalid_request"), to.toString());
    assertTrue(to.getQuery().contains("plain is not allowed"), to.toString());
    assertFalse(to.getQuery().contains("code="), to.toString());
  }

  @Test
  void authorizeWhenPublicClientSendsNoChallengeThenRefused() throws Exception {
    String publicId = f.client("{\"redirect_uris\":[\"" + SecurityFixture.CALLBACK + "\"],\"grant_types\":"
        + "[\"authorization_code\"],\"response_types\":[\"code\"],\"scope\":\"openid\","
        + "\"token_endpoint_auth_method\":\"none\"}").get("client_id").asText();
    HttpResponse<String> r = new TestBrowser().send(HttpRequest.newBuilder(f.pub.resolve("/oauth2/auth?"
        + query(publicId))));
    String to = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(r.body()));
    assertTrue(to.startsWith(SecurityFixture.CALLBACK + "?error=invalid_request"), to);
    assertTrue(URI.create(to).getQuery().contains("must include a code_challenge"), to);
  }
}
