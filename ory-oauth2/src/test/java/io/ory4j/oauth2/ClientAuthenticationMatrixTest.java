package io.ory4j.oauth2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** client_credentials at the token endpoint, by registered and presented client authentication method. */
class ClientAuthenticationMatrixTest {

  private static final String SECRET = "a-shared-secret-of-32-bytes-len!";
  private static TestServer server;
  private static RSAKey key;

  @BeforeAll
  static void start() throws Exception {
    server = new TestServer();
    key = new RSAKeyGenerator(2048).keyID("k1").generate();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static ClientID register(String method) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("grant_types", List.of("client_credentials"));
    c.put("scope", "read");
    c.put("token_endpoint_auth_method", method);
    if (method.equals("private_key_jwt")) {
      c.put("jwks", new JWKSet(key.toPublicJWK()).toJSONObject());
    } else if (!method.equals("none")) {
      c.put("client_secret", SECRET);
    }
    JsonNode created;
    try {
      created = server.admin("POST", "/admin/clients", TestServer.JSON.write(c));
    } catch (IllegalStateException e) {
      throw new AssertionError(e);
    }
    return new ClientID(created.get("client_id").asText());
  }

  private static ClientAuthentication present(String method, ClientID id) throws Exception {
    URI endpoint = URI.create(server.base + "/oauth2/token");
    return switch (method) {
      case "client_secret_basic" -> new ClientSecretBasic(id, new Secret(SECRET));
      case "client_secret_post" -> new ClientSecretPost(id, new Secret(SECRET));
      case "client_secret_jwt" -> new ClientSecretJWT(id, endpoint, JWSAlgorithm.HS256, new Secret(SECRET));
      case "private_key_jwt" -> new PrivateKeyJWT(id, endpoint, JWSAlgorithm.RS256, key.toPrivateKey(), "k1", null);
      default -> throw new IllegalArgumentException(method);
    };
  }

  @ParameterizedTest(name = "registered {0}, presented {1} -> {2}")
  @CsvSource({
      "client_secret_basic, client_secret_basic, 200",
      "client_secret_post, client_secret_post, 200",
      "client_secret_jwt, client_secret_jwt, 200",
      "private_key_jwt, private_key_jwt, 200",
      "client_secret_basic, client_secret_post, 401",
      "client_secret_post, client_secret_basic, 401",
      "client_secret_jwt, client_secret_basic, 401",
      "private_key_jwt, client_secret_jwt, 401",
  })
  void clientCredentialsWhenAuthMethodPresentedThenAcceptedOnlyIfRegistered(String registered, String presented,
      int status) throws Exception {
    ClientID id = register(registered);
    HTTPResponse r = new TokenRequest(URI.create(server.base + "/oauth2/token"), present(presented, id),
        new ClientCredentialsGrant(), new Scope("read")).toHTTPRequest().send();
    assertEquals(status, r.getStatusCode(), r.getBody());
    if (status == 401) {
      assertEquals("invalid_client", TokenErrorResponse.parse(r).getErrorObject().getCode());
    }
  }

  @ParameterizedTest
  @CsvSource({"none"})
  void clientCredentialsWhenPublicClientThenInvalidClient(String method) {
    ClientID id = register(method);
    java.net.http.HttpResponse<String> r = server.send("POST", "/oauth2/token",
        "grant_type=client_credentials&client_id=" + id, "application/x-www-form-urlencoded");
    assertEquals(401, r.statusCode(), r.body());
  }
}
