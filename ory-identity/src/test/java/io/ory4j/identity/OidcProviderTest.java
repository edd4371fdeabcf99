package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.json.OryJson;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kratos' {@code selfservice.methods.oidc.config.providers} read into {@link OidcProvider}s. */
class OidcProviderTest {

  private static final OryJson JSON = OryJson.create();

  @Test
  void fromKratosConfigWhenGenericProviderThenEveryKey() {
    List<OidcProvider> ps = OidcProvider.fromKratosConfig(JSON.readTree("[{\"id\":\"hydra\",\"provider\":\"generic\","
        + "\"issuer_url\":\"https://hydra.example/\",\"client_id\":\"kratos\",\"client_secret\":\"s3cret\","
        + "\"scope\":[\"email\",\"profile\"],\"mapper_url\":\"file:///etc/config/kratos/oidc.jsonnet\","
        + "\"label\":\"Hydra\"}]"));
    OidcProvider p = ps.get(0);
    assertEquals("hydra", p.id());
    assertEquals(URI.create("https://hydra.example/"), p.issuerUrl());
    assertEquals(List.of("openid", "email", "profile"), p.scope());
    assertEquals(URI.create("file:///etc/config/kratos/oidc.jsonnet"), p.mapperUrl());
    assertEquals("Hydra", p.displayName());
    assertFalse(p.toString().contains("s3cret"), "the secret is not in toString");
  }

  @Test
  void fromKratosConfigWhenClaimsToTraitsThenPointerMapping() {
    OidcProvider p = OidcProvider.fromKratosConfig(JSON.readTree("[{\"id\":\"op\",\"provider\":\"generic\","
        + "\"issuer_url\":\"https://op.example\",\"client_id\":\"c\",\"claims_to_traits\":{\"/email\":\"/email\"}}]"))
        .get(0);
    assertEquals(Map.of("/email", "/email"), p.claimsToTraits());
    assertEquals("op", p.displayName());
  }

  @Test
  void fromKratosConfigWhenInvalidThenTheKeyIsNamed() {
    assertTrue(message("[{\"id\":\"g\",\"provider\":\"github\",\"issuer_url\":\"https://x\",\"client_id\":\"c\","
        + "\"claims_to_traits\":{\"/email\":\"/email\"}}]").contains("only \"generic\""));
    assertTrue(message("[{\"id\":\"g\",\"provider\":\"generic\",\"client_id\":\"c\"}]").contains("issuer_url"));
    assertTrue(message("[{\"id\":\"g\",\"provider\":\"generic\",\"issuer_url\":\"https://x\",\"client_id\":\"c\"}]")
        .contains("mapper_url or claims_to_traits"));
    assertTrue(message("[{\"id\":\"g\",\"provider\":\"generic\",\"issuer_url\":\"https://x\",\"client_id\":\"c\","
        + "\"claims_to_traits\":{\"email\":\"/email\"}}]").contains("JSON pointers"));
    String one = "{\"id\":\"g\",\"provider\":\"generic\",\"issuer_url\":\"https://x\",\"client_id\":\"c\","
        + "\"claims_to_traits\":{\"/email\":\"/email\"}}";
    assertTrue(message("[" + one + "," + one + "]").contains("unique"));
    assertTrue(message("{}").contains("must be an array"));
  }

  private static String message(String config) {
    return assertThrows(IllegalArgumentException.class, () -> OidcProvider.fromKratosConfig(JSON.readTree(config)))
        .getMessage();
  }
}
