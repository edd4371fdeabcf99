package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pairwise subject identifiers (OIDC Core 1.0 section 8) as Hydra: the sector identifier is the host of the
 * {@code sector_identifier_uri} (fetched and checked when the client is created or updated) or of the only redirect
 * URI; the pairwise {@code sub} is in the ID token and userinfo, and introspection shows the real {@code sub} with
 * the pairwise one as {@code obfuscated_subject}.
 */
class PairwiseSubjectHttpTest {

  private static final String SALT = "a-pairwise-salt";
  private static final String SECTOR = "https://client.example/docs/sector.json";
  private static final String OTHER_REDIRECT = "https://mobile.example/cb";

  private TestServer s;

  @BeforeEach
  void start() throws Exception {
    s = new TestServer(b -> b.pairwiseSalt(SALT));
    s.documents.put("sector.json", TestServer.JSON.write(List.of(TestServer.REDIRECT, OTHER_REDIRECT)));
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private static String pairwise(String sectorHost, String subject) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest((sectorHost + subject + SALT)
        .getBytes(StandardCharsets.UTF_8)));
  }

  private java.net.http.HttpResponse<String> create(Map<String, Object> client) {
    return s.send("POST", "/admin/clients", TestServer.JSON.write(client), "application/json");
  }

  private JsonNode createOk(Map<String, Object> client) {
    java.net.http.HttpResponse<String> r = create(client);
    assertEquals(201, r.statusCode(), r.body());
    return TestServer.JSON.readTree(r.body());
  }

  private OIDCTokenResponse codeFlow(JsonNode client, String redirect) {
    CodeVerifier v = new CodeVerifier();
    String done = s.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code"),
        new Scope("openid"), new ClientID(client.get("client_id").asText()), URI.create(redirect))
        .endpointURI(URI.create(s.base + "/oauth2/auth")).state(new State()).nonce(new Nonce())
        .codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString());
    assertTrue(done.startsWith(redirect), done);
    return s.exchange(client.get("client_id").asText(), client.get("client_secret").asText(), done, v);
  }

  private static String errorOf(java.net.http.HttpResponse<String> r) {
    assertEquals(400, r.statusCode(), r.body());
    return TestServer.JSON.readTree(r.body()).get("error").asText();
  }

  @Test
  void pairwiseWhenSectorIdentifierUriThenSubFromItsHostInIdTokenUserinfoAndIntrospection() throws Exception {
    JsonNode c = createOk(Map.of("redirect_uris", List.of(TestServer.REDIRECT, OTHER_REDIRECT), "scope", "openid",
        "subject_type", "pairwise", "sector_identifier_uri", SECTOR));
    assertEquals(SECTOR, c.get("sector_identifier_uri").asText());
    String expected = pairwise("client.example", "alice");
    OIDCTokenResponse web = codeFlow(c, TestServer.REDIRECT);
    OIDCTokenResponse mobile = codeFlow(c, OTHER_REDIRECT);
    assertEquals(expected, web.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject());
    assertEquals(expected, mobile.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject(),
        "one sector, one subject, whichever redirect URI");
    UserInfoResponse ui = UserInfoResponse.parse(new UserInfoRequest(URI.create(s.base + "/userinfo"),
        (BearerAccessToken) web.getOIDCTokens().getAccessToken()).toHTTPRequest().send());
    assertEquals(expected, ui.toSuccessResponse().getUserInfo().getSubject().getValue());
    JsonNode info = TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token="
        + web.getOIDCTokens().getAccessToken().getValue(), "application/x-www-form-urlencoded").body());
    assertEquals("alice", info.get("sub").asText());
    assertEquals(expected, info.get("obfuscated_subject").asText());
  }

  @Test
  void pairwiseWhenOneRedirectUriThenSubFromItsHostAndForceSubjectIdentifierWins() throws Exception {
    JsonNode c = createOk(Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid",
        "subject_type", "pairwise"));
    assertEquals(pairwise("client.example", "alice"),
        codeFlow(c, TestServer.REDIRECT).getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject());
    s.login.set(req -> TestServer.Answer.accept(Map.of("subject", "alice", "force_subject_identifier", "forced-1")));
    assertEquals("forced-1", codeFlow(c, TestServer.REDIRECT).getOIDCTokens().getIDToken().getJWTClaimsSet()
        .getSubject());
    JsonNode pub = createOk(Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid"));
    OIDCTokenResponse t = codeFlow(pub, TestServer.REDIRECT);
    assertEquals("alice", t.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject(),
        "force_subject_identifier applies to pairwise clients only, as Hydra");
    JsonNode info = TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token="
        + t.getOIDCTokens().getAccessToken().getValue(), "application/x-www-form-urlencoded").body());
    assertFalse(info.has("obfuscated_subject"));
  }

  @Test
  void pairwiseWhenSeveralRedirectUrisOnOneHostAndNoSectorUriThenInvalidRequestAtAuthorization() {
    JsonNode c = createOk(Map.of("redirect_uris", List.of(TestServer.REDIRECT, "https://client.example/cb2"),
        "scope", "openid", "subject_type", "pairwise"));
    String done = s.browser().navigate(s.base + "/oauth2/auth?response_type=code&scope=openid&client_id="
        + c.get("client_id").asText() + "&redirect_uri=" + TestServer.enc(TestServer.REDIRECT)
        + "&state=abcdefghij&code_challenge_method=S256&code_challenge=" + "a".repeat(43));
    assertEquals("invalid_request", TestServer.param(done, "error"), done);
    assertTrue(TestServer.param(done, "error_description") != null);
  }

  @Test
  void sectorIdentifierUriWhenBadThenInvalidClientMetadataOnCreateAndUpdate() {
    Map<String, Object> base = Map.of("redirect_uris", List.of(TestServer.REDIRECT, OTHER_REDIRECT), "scope",
        "openid", "subject_type", "pairwise");
    java.util.function.Function<String, java.net.http.HttpResponse<String>> with = uri -> {
      Map<String, Object> m = new java.util.HashMap<>(base);
      m.put("sector_identifier_uri", uri);
      return create(m);
    };
    assertEquals("invalid_client_metadata", errorOf(with.apply("http://client.example/docs/sector.json")),
        "must be HTTPS");
    assertEquals("invalid_client_metadata", errorOf(with.apply("https://client.example/docs/missing.json")), "404");
    s.documents.put("one.json", TestServer.JSON.write(List.of(TestServer.REDIRECT)));
    java.net.http.HttpResponse<String> partial = with.apply("https://client.example/docs/one.json");
    assertEquals("invalid_client_metadata", errorOf(partial), "a redirect URI is not in the array");
    assertTrue(TestServer.JSON.readTree(partial.body()).get("error_description").asText().contains(OTHER_REDIRECT),
        partial.body());
    s.documents.put("empty.json", "[]");
    assertEquals("invalid_client_metadata", errorOf(with.apply("https://client.example/docs/empty.json")));
    s.documents.put("object.json", "{\"redirect_uris\":[]}");
    assertEquals("invalid_client_metadata", errorOf(with.apply("https://client.example/docs/object.json")));
    assertEquals("invalid_client_metadata", errorOf(create(Map.of("redirect_uris",
        List.of(TestServer.REDIRECT, OTHER_REDIRECT), "scope", "openid", "subject_type", "pairwise"))),
        "redirect URIs on two hosts need a sector_identifier_uri");
    assertEquals("invalid_client_metadata", errorOf(create(Map.of("subject_type", "secret"))));

    JsonNode c = createOk(Map.of("redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid",
        "subject_type", "pairwise", "sector_identifier_uri", "https://client.example/docs/one.json"));
    java.net.http.HttpResponse<String> patched = s.send("PATCH", "/admin/clients/" + c.get("client_id").asText(),
        "[{\"op\":\"add\",\"path\":\"/redirect_uris/-\",\"value\":\"" + OTHER_REDIRECT + "\"}]", "application/json");
    assertEquals("invalid_client_metadata", errorOf(patched), "checked again when the client changes");
  }

  @Test
  void discoveryWhenSaltConfiguredThenBothSubjectTypes() {
    JsonNode meta = TestServer.JSON.readTree(s.send("GET", "/.well-known/openid-configuration", null, null).body());
    assertEquals("[\"public\",\"pairwise\"]", meta.get("subject_types_supported").toString());
  }
}
