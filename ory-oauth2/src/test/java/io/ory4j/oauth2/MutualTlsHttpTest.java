package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.oauth2.internal.ClientCertificates;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705) behind a TLS-terminating proxy
 * that forwards the client certificate (the test's HTTP client plays the proxy, from 127.0.0.1), parsed by Nimbus.
 */
class MutualTlsHttpTest {

  private static final String HEADER = "X-Client-Cert";
  private TestServer s;
  private final String certA = pem("client-a.pem");
  private final String certB = pem("client-b.pem");
  private final String certC = pem("client-c.pem");

  private static String pem(String name) {
    try (InputStream in = MutualTlsHttpTest.class.getResourceAsStream("/mtls/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void start(UnaryOperator<OAuth2Provider.Builder> customize) throws Exception {
    s = new TestServer(customize);
    s.clock.advance(Duration.ofDays(400)); // the test certificates start in late 2026
  }

  private void start() throws Exception {
    start(b -> b.mutualTls(MutualTlsSettings.behindProxy(HEADER, "127.0.0.1")));
  }

  @AfterEach
  void stop() {
    if (s != null) {
      s.close();
    }
  }

  private JsonNode client(Map<String, Object> body) {
    return s.admin("POST", "/admin/clients", TestServer.JSON.write(body));
  }

  private java.net.http.HttpResponse<String> post(String path, String form, String cert) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(s.base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form));
    if (cert != null) {
      b.header(HEADER, URLEncoder.encode(cert, StandardCharsets.UTF_8));
    }
    return s.http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  private java.net.http.HttpResponse<String> clientCredentials(String clientId, String cert) throws Exception {
    return post("/oauth2/token", "grant_type=client_credentials&scope=read&client_id=" + TestServer.enc(clientId),
        cert);
  }

  private static HTTPResponse nimbus(java.net.http.HttpResponse<String> r) {
    HTTPResponse h = new HTTPResponse(r.statusCode());
    h.setHeader("Content-Type", "application/json");
    h.setContent(r.body());
    return h;
  }

  private static String error(java.net.http.HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    return TokenErrorResponse.parse(nimbus(r)).getErrorObject().getCode();
  }

  private static String accessToken(java.net.http.HttpResponse<String> r) throws Exception {
    assertEquals(200, r.statusCode(), r.body());
    return TokenResponse.parse(nimbus(r)).toSuccessResponse().getTokens().getAccessToken().getValue();
  }

  @Test
  void tlsClientAuthWhenCertificateHasTheRegisteredSubjectDnThenAuthenticated() throws Exception {
    start();
    JsonNode c = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=client-a,O=Example"));
    assertFalse(c.has("client_secret"), "a certificate, not a secret");
    String id = c.get("client_id").asText();
    assertTrue(s.provider.introspect(accessToken(clientCredentials(id, certA))).active());
    assertEquals("invalid_client", error(clientCredentials(id, certB), 401), "another subject DN");
    assertEquals("invalid_client", error(clientCredentials(id, null), 401), "no certificate");
    assertEquals("invalid_client", error(clientCredentials(id, "not a certificate"), 401));
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery()));
    assertTrue(meta.getTokenEndpointAuthMethods().stream().anyMatch(m -> m.getValue().equals("tls_client_auth")));
    assertTrue(meta.getTokenEndpointAuthMethods().stream()
        .anyMatch(m -> m.getValue().equals("self_signed_tls_client_auth")));
    assertTrue(meta.supportsTLSClientCertificateBoundAccessTokens());
  }

  @Test
  void tlsClientAuthWhenHeaderFromAnUntrustedAddressThenIgnored() throws Exception {
    start(b -> b.mutualTls(MutualTlsSettings.behindProxy(HEADER, "10.0.0.7")));
    String id = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=client-a,O=Example"))
        .get("client_id").asText();
    assertEquals("invalid_client", error(clientCredentials(id, certA), 401));
  }

  @Test
  void selfSignedTlsClientAuthWhenCertificateKeyIsRegisteredThenAuthenticated() throws Exception {
    start();
    JWK key = new com.nimbusds.jose.jwk.ECKey.Builder(com.nimbusds.jose.jwk.Curve.P_256,
        (java.security.interfaces.ECPublicKey) X509CertUtils.parse(certA).getPublicKey()).keyID("cert-a").build();
    String id = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "self_signed_tls_client_auth",
        "jwks", Map.of("keys", List.of(key.toJSONObject())))).get("client_id").asText();
    assertTrue(s.provider.introspect(accessToken(clientCredentials(id, certA))).active());
    assertEquals("invalid_client", error(clientCredentials(id, certB), 401), "a key the client did not register");
    s.clock.advance(Duration.ofDays(365 * 101));
    assertEquals("invalid_client", error(clientCredentials(id, certA), 401), "an expired certificate");
  }

  @Test
  void boundTokensWhenClientAsksThenCnfX5tAndUserinfoNeedsTheCertificate() throws Exception {
    start(b -> b.mutualTls(MutualTlsSettings.behindProxy(HEADER, "127.0.0.1"))
        .tokenSettings(TokenSettings.defaults().withJwtAccessTokens(true)));
    String id = client(Map.of("grant_types", List.of("authorization_code", "client_credentials"),
        "response_types", List.of("code"), "redirect_uris", List.of(TestServer.REDIRECT), "scope", "openid read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=client-a,O=Example",
        "tls_client_certificate_bound_access_tokens", true)).get("client_id").asText();
    String thumbprint = X509CertUtils.computeSHA256Thumbprint(X509CertUtils.parse(certA)).toString();
    String cc = accessToken(clientCredentials(id, certA));
    assertEquals(thumbprint, s.provider.introspect(cc).cnf().get("x5t#S256"));
    @SuppressWarnings("unchecked")
    Map<String, Object> cnf = (Map<String, Object>) SignedJWT.parse(cc).getJWTClaimsSet().getClaim("cnf");
    assertEquals(thumbprint, cnf.get("x5t#S256"));
    // a user's token through the code flow, then /userinfo with and without the certificate
    CodeVerifier v = new CodeVerifier();
    String done = s.browser().navigate(new AuthenticationRequest.Builder(new ResponseType("code"),
        new Scope("openid"), new ClientID(id), URI.create(TestServer.REDIRECT))
        .endpointURI(URI.create(s.base + "/oauth2/auth")).state(new State()).nonce(new Nonce())
        .codeChallenge(v, CodeChallengeMethod.S256).build().toURI().toString());
    String at = accessToken(post("/oauth2/token", "grant_type=authorization_code&client_id=" + TestServer.enc(id)
        + "&code=" + TestServer.enc(TestServer.param(done, "code")) + "&redirect_uri="
        + TestServer.enc(TestServer.REDIRECT) + "&code_verifier=" + v.getValue(), certA));
    JsonNode info = TestServer.JSON.readTree(s.send("POST", "/admin/oauth2/introspect", "token=" + TestServer.enc(at),
        "application/x-www-form-urlencoded").body());
    assertEquals(thumbprint, info.get("cnf").get("x5t#S256").asText());
    java.net.http.HttpResponse<String> withCert = s.http.send(java.net.http.HttpRequest.newBuilder(
        URI.create(s.base + "/userinfo")).header("Authorization", "Bearer " + at)
        .header(HEADER, URLEncoder.encode(certA, StandardCharsets.UTF_8)).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, withCert.statusCode(), withCert.body());
    assertEquals("alice", TestServer.JSON.readTree(withCert.body()).get("sub").asText());
    for (String other : new String[] {null, certB}) {
      java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(s.base + "/userinfo"))
          .header("Authorization", "Bearer " + at).GET();
      if (other != null) {
        b.header(HEADER, URLEncoder.encode(other, StandardCharsets.UTF_8));
      }
      java.net.http.HttpResponse<String> r = s.http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(401, r.statusCode(), r.body());
      assertEquals("invalid_token", TestServer.JSON.readTree(r.body()).get("error").asText());
    }
  }

  @Test
  void registrationWhenTlsMetadataInvalidOrMutualTlsOffThenInvalidClientMetadata() throws Exception {
    start(UnaryOperator.identity());
    for (Map<String, Object> body : List.of(
        Map.<String, Object>of("token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=a"),
        Map.<String, Object>of("tls_client_certificate_bound_access_tokens", true))) {
      java.net.http.HttpResponse<String> r = s.send("POST", "/admin/clients", TestServer.JSON.write(body),
          "application/json");
      assertEquals(400, r.statusCode(), r.body());
      assertEquals("invalid_client_metadata", TestServer.JSON.readTree(r.body()).get("error").asText());
    }
    JsonNode plain = client(Map.of("grant_types", List.of("client_credentials")));
    assertFalse(plain.has("tls_client_auth_subject_dn"), "the client JSON stays Hydra's when unset");
    assertFalse(plain.has("tls_client_certificate_bound_access_tokens"));
    s.close();
    start();
    for (Map<String, Object> body : List.of(
        Map.<String, Object>of("token_endpoint_auth_method", "tls_client_auth"),
        Map.<String, Object>of("token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "=x"),
        Map.<String, Object>of("token_endpoint_auth_method", "self_signed_tls_client_auth"))) {
      java.net.http.HttpResponse<String> r = s.send("POST", "/admin/clients", TestServer.JSON.write(body),
          "application/json");
      assertEquals(400, r.statusCode(), body + " -> " + r.body());
      assertEquals("invalid_client_metadata", TestServer.JSON.readTree(r.body()).get("error").asText());
    }
  }

  @Test
  void certificateWhenOnTheTlsConnectionThenReadFromTheServletAttribute() throws Exception {
    X509Certificate a = X509CertUtils.parse(certA);
    ClientCertificates certs = new ClientCertificates(MutualTlsSettings.direct());
    HttpRequest fromTls = HttpRequest.builder().attribute(ClientCertificates.ATTRIBUTE, new X509Certificate[] {a})
        .build();
    assertEquals(a, certs.of(fromTls).orElseThrow());
    HttpRequest headerOnly = HttpRequest.builder().remoteAddress("127.0.0.1").header(HEADER, certA).build();
    assertTrue(certs.of(headerOnly).isEmpty(), "no header is believed without a configured proxy");
    ClientCertificates proxied = new ClientCertificates(MutualTlsSettings.behindProxy(HEADER, "127.0.0.1"));
    String der = java.util.Base64.getEncoder().encodeToString(a.getEncoded());
    assertEquals(a, proxied.of(HttpRequest.builder().remoteAddress("127.0.0.1").header(HEADER, der).build())
        .orElseThrow(), "base64 DER");
    assertEquals(a, proxied.of(HttpRequest.builder().remoteAddress("127.0.0.1").header(HEADER, certA).build())
        .orElseThrow(), "PEM");
    assertNull(proxied.of(HttpRequest.builder().remoteAddress("127.0.0.1").header(HEADER, "%%%").build())
        .orElse(null));
  }

  @Test
  void fapi2WhenMutualTlsThenCertificateAuthAndBoundTokensStandInForPrivateKeyJwtAndDpop() throws Exception {
    start(b -> b.mutualTls(MutualTlsSettings.behindProxy(HEADER, "127.0.0.1"))
        .securitySettings(SecuritySettings.fapi2SecurityProfile()));
    String bound = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=client-a,O=Example",
        "tls_client_certificate_bound_access_tokens", true)).get("client_id").asText();
    String thumbprint = X509CertUtils.computeSHA256Thumbprint(X509CertUtils.parse(certA)).toString();
    assertEquals(thumbprint, s.provider.introspect(accessToken(clientCredentials(bound, certA))).cnf()
        .get("x5t#S256"), "FAPI 2.0: mutual TLS authenticates and binds the token, no DPoP proof needed");
    String unbound = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_subject_dn", "CN=client-a,O=Example"))
        .get("client_id").asText();
    assertEquals("invalid_dpop_proof", error(clientCredentials(unbound, certA), 400),
        "a client whose tokens are not certificate-bound needs a DPoP proof");
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery()));
    assertEquals(java.util.Set.of("private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"),
        meta.getTokenEndpointAuthMethods().stream().map(m -> m.getValue())
            .collect(java.util.stream.Collectors.toSet()));
    assertEquals(400, s.send("POST", "/admin/clients", TestServer.JSON.write(Map.of("grant_types",
        List.of("client_credentials"), "token_endpoint_auth_method", "client_secret_basic")), "application/json")
        .statusCode(), "FAPI 2.0 still refuses secrets");
  }

  @Test
  void tlsClientAuthWhenSubjectAltNameRegisteredThenMatchedByKind() throws Exception {
    start();
    for (Map.Entry<String, String> san : List.of(Map.entry("tls_client_auth_san_dns", "client-c.example"),
        Map.entry("tls_client_auth_san_uri", "https://client-c.example/app"),
        Map.entry("tls_client_auth_san_ip", "::1"), Map.entry("tls_client_auth_san_ip", "10.0.0.3"),
        Map.entry("tls_client_auth_san_email", "c@client-c.example"))) {
      JsonNode c = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
          "token_endpoint_auth_method", "tls_client_auth", san.getKey(), san.getValue()));
      assertEquals(san.getValue(), c.get(san.getKey()).asText());
      assertFalse(c.has("tls_client_auth_subject_dn"), "unset fields stay out of the JSON");
      String id = c.get("client_id").asText();
      assertTrue(s.provider.introspect(accessToken(clientCredentials(id, certC))).active(), san.toString());
      assertEquals("invalid_client", error(clientCredentials(id, certA), 401), "a certificate without that name");
    }
    String other = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "tls_client_auth", "tls_client_auth_san_uri", "https://client-c.example/other"))
        .get("client_id").asText();
    assertEquals("invalid_client", error(clientCredentials(other, certC), 401), "another URI of the same host");
    for (Map<String, Object> bad : List.<Map<String, Object>>of(
        Map.of("tls_client_auth_san_dns", "client-c.example", "tls_client_auth_subject_dn", "CN=client-c,O=Example"),
        Map.of("tls_client_auth_san_ip", "not-an-ip"), Map.of("tls_client_auth_san_ip", "1:2:3:zz::1"),
        Map.of("tls_client_auth_san_uri", "relative/path"), Map.of())) {
      Map<String, Object> body = new java.util.HashMap<>(Map.of("grant_types", List.of("client_credentials"),
          "token_endpoint_auth_method", "tls_client_auth"));
      body.putAll(bad);
      java.net.http.HttpResponse<String> r = s.send("POST", "/admin/clients", TestServer.JSON.write(body),
          "application/json");
      assertEquals(400, r.statusCode(), bad + ": " + r.body());
      assertTrue(r.body().contains("invalid_client_metadata"), r.body());
    }
  }

  @Test
  void endpointAliasesWhenConfiguredThenAdvertisedAndAssertionsNameTheAliasTheyCameTo() throws Exception {
    start(b -> b.mutualTls(MutualTlsSettings.behindProxy(HEADER, "127.0.0.1")
        .withEndpointAliases(URI.create("https://mtls.auth.example"))));
    OIDCProviderMetadata meta = OIDCProviderMetadata.parse(TestServer.JSON.write(s.provider.discovery()));
    assertEquals(URI.create("https://mtls.auth.example/oauth2/token"),
        meta.getMtlsEndpointAliases().getTokenEndpointURI());
    assertEquals(URI.create("https://mtls.auth.example/userinfo"),
        meta.getMtlsEndpointAliases().getUserInfoEndpointURI());
    com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
        com.nimbusds.jose.jwk.Curve.P_256).keyID("k1").generate();
    String id = client(Map.of("grant_types", List.of("client_credentials"), "scope", "read",
        "token_endpoint_auth_method", "private_key_jwt", "jwks", Map.of("keys",
            List.of(key.toPublicJWK().toJSONObject())))).get("client_id").asText();
    URI alias = URI.create("https://mtls.auth.example/oauth2/token");
    java.util.function.Function<String, io.ory4j.core.http.HttpResponse> tokenAt = host -> {
      try {
        String assertion = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new com.nimbusds.oauth2.sdk.auth
            .JWTAuthenticationClaimsSet(new ClientID(id), new com.nimbusds.oauth2.sdk.id.Audience(alias)
            .toSingleAudienceList(), java.util.Date.from(s.clock.instant().plusSeconds(60)), null,
            java.util.Date.from(s.clock.instant()), new com.nimbusds.oauth2.sdk.id.JWTID()),
            com.nimbusds.jose.JWSAlgorithm.ES256, key.toECPrivateKey(), "k1", null).getClientAssertion().serialize();
        return s.provider.publicApi().handle(HttpRequest.builder().method("POST").scheme("https").host(host)
            .target("/oauth2/token").header("Content-Type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials&scope=read&client_assertion_type="
                + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + assertion)
            .build());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    io.ory4j.core.http.HttpResponse viaAlias = tokenAt.apply("mtls.auth.example");
    assertEquals(200, viaAlias.status(), viaAlias.bodyText());
    io.ory4j.core.http.HttpResponse viaIssuer = tokenAt.apply(URI.create(s.base).getRawAuthority());
    assertEquals(401, viaIssuer.status(), "an assertion for the alias, sent to the issuer's host: "
        + viaIssuer.bodyText());
  }
}
