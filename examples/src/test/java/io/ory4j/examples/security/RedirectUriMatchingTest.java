package io.ory4j.examples.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.examples.TestBrowser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Item 1: {@code /oauth2/auth} matches {@code redirect_uri} exactly against the registered one (fosite compares the
 * strings). A URI that differs in any way is refused on the server's own error page, never redirected to.
 */
class RedirectUriMatchingTest extends ServerTest {

  private String clientId;

  @BeforeAll
  void start() throws Exception {
    clientId = f.confidentialClient().get("client_id").asText();
  }

  private HttpResponse<String> auth(String redirectUri) throws Exception {
    return new TestBrowser().send(HttpRequest.newBuilder(f.pub.resolve("/oauth2/auth?response_type=code&client_id="
        + TestBrowser.enc(clientId) + "&redirect_uri=" + TestBrowser.enc(redirectUri)
        + "&scope=openid&state=state-0123456789")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "https://client.example.com:8443/cb/",                 // trailing slash
      "https://client.example.com:8443/CB",                  // case of the path
      "https://CLIENT.example.com:8443/cb",                  // case of the host
      "http://client.example.com:8443/cb",                   // scheme
      "https://client.example.com:8443/cb?next=evil",        // an extra query parameter
      "https://client.example.com:9443/cb",                  // another port
      "https://client.example.com/cb",                       // the port left out
      "https://client.example.com:8443@evil.example/cb",     // the registered authority as userinfo
      "https://good@client.example.com:8443/cb",             // a userinfo part
      "https://client.example.com:8443/cb#frag",             // a fragment
      "https://client.example.com:8443/x/../cb",             // dot segments
      "https://client.example.com:8443/cb/../evil",
      "https://client.example.com:8443/%63b",                // percent-encoding of an unreserved character
      "https://client.example.com:8443/cb%2F..%2Fevil",
      "https://client.example.com.evil.example:8443/cb",     // a host suffix
      "https://evil.example/cb",
  })
  void authorizeWhenRedirectUriDiffersFromTheRegisteredOneThenRefusedWithoutRedirectingThere(String redirectUri)
      throws Exception {
    HttpResponse<String> r = auth(redirectUri);
    assertFalse(r.headers().firstValue("Location").isPresent(), "redirected: " + r.headers().map());
    f.assertOAuth2Error(r, 400, "invalid_request");
    assertTrue(f.json.readTree(r.body()).get("error_description").asText().endsWith("The 'redirect_uri' parameter "
        + "does not match any of the OAuth 2.0 Client's pre-registered redirect urls."), r.body());
  }

  @Test
  void authorizeWhenRedirectUriIsTheRegisteredOneThenTheCodeGoesThere() throws Exception {
    URI back = f.authorize("response_type=code&client_id=" + TestBrowser.enc(clientId) + "&redirect_uri="
        + TestBrowser.enc(SecurityFixture.CALLBACK) + "&scope=openid&state=state-0123456789");
    assertTrue(back.toString().startsWith(SecurityFixture.CALLBACK + "?code="), back.toString());
  }
}
