package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.examples.TestBrowser;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Item 4: an authorization code only works for the client it was issued to, with the redirect URI of its authorize
 * request, once; a replay fails and revokes the tokens the first redemption issued (RFC 6749 section 4.1.2).
 */
class CodeInjectionTest extends ServerTest {

  private JsonNode a;
  private JsonNode b;

  @BeforeAll
  void start() throws Exception {
    a = f.confidentialClient();
    b = f.client("{\"redirect_uris\":[\"" + SecurityFixture.CALLBACK + "\",\"https://client.example.com:8443/other\"],"
        + "\"grant_types\":[\"authorization_code\",\"refresh_token\"],\"response_types\":[\"code\"],"
        + "\"scope\":\"openid offline\",\"token_endpoint_auth_method\":\"client_secret_basic\"}");
  }

  private String code(JsonNode client) throws Exception {
    return SecurityFixture.code(f.authorize("response_type=code&client_id="
        + TestBrowser.enc(client.get("client_id").asText()) + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=" + TestBrowser.enc("openid offline")
        + "&state=state-0123456789"));
  }

  private HttpResponse<String> redeem(JsonNode client, String code, String redirectUri) throws Exception {
    return f.token(client.get("client_id").asText(), client.get("client_secret").asText(),
        "grant_type=authorization_code&code=" + code + "&redirect_uri=" + TestBrowser.enc(redirectUri));
  }

  private boolean active(String token) throws Exception {
    HttpResponse<String> r = new TestBrowser().send(SecurityFixture.form(f.admin.resolve("/admin/oauth2/introspect"),
        "token=" + TestBrowser.enc(token)));
    assertEquals(200, r.statusCode(), r.body());
    return f.json.readTree(r.body()).get("active").asBoolean();
  }

  private void assertInvalidGrant(HttpResponse<String> r) throws Exception {
    f.assertOAuth2Error(r, 400, "invalid_grant");
    assertFalse(r.body().contains("access_token"), r.body());
  }

  @Test
  void tokenWhenClientARedeemsClientBsCodeThenInvalidGrantAndTheCodeStillWorksForB() throws Exception {
    String code = code(b);
    assertInvalidGrant(redeem(a, code, SecurityFixture.CALLBACK));
    assertEquals(200, redeem(b, code, SecurityFixture.CALLBACK).statusCode());
  }

  @Test
  void tokenWhenRedirectUriDiffersFromTheAuthorizeRequestsThenInvalidGrant() throws Exception {
    String code = code(b);
    HttpResponse<String> r = redeem(b, code, "https://client.example.com:8443/other");
    assertInvalidGrant(r);
    assertTrue(r.body().contains("does not match the one from the authorize request"), r.body());
  }

  @Test
  void tokenWhenCodeReplayedThenInvalidGrantAndTheFirstTokensAreRevoked() throws Exception {
    String code = code(a);
    HttpResponse<String> first = redeem(a, code, SecurityFixture.CALLBACK);
    assertEquals(200, first.statusCode(), first.body());
    JsonNode tokens = f.json.readTree(first.body());
    assertTrue(active(tokens.get("access_token").asText()));
    assertTrue(active(tokens.get("refresh_token").asText()));

    assertInvalidGrant(redeem(a, code, SecurityFixture.CALLBACK));
    assertFalse(active(tokens.get("access_token").asText()), "the replay revoked the access token");
    assertFalse(active(tokens.get("refresh_token").asText()), "the replay revoked the refresh token");
  }
}
