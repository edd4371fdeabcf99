package io.ory4j.identity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.OidcProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims to traits: Kratos' Jsonnet mappers through the subset, and the JSON-pointer mapping. */
class OidcMapperTest {

  private static final OryJson JSON = OryJson.create();
  private static final JsonNode CLAIMS = JSON.readTree("{\"sub\":\"u1\",\"email\":\"a@example.com\","
      + "\"given_name\":\"Ada\",\"family_name\":\"Lovelace\",\"email_verified\":true}");

  private static OidcProvider withMapper(URI mapper) {
    return new OidcProvider("p", "generic", URI.create("https://op.example"), "c", "s", List.of(), mapper, Map.of(),
        null);
  }

  @Test
  void traitsWhenPointerMappingThenNestedTraitsAndAbsentClaimsSkipped() {
    OidcProvider p = OidcProvider.generic("p", URI.create("https://op.example"), "c", "s", Map.of("/email", "/email",
        "/name/first", "/given_name", "/name/last", "/family_name", "/nickname", "/nickname"));
    JsonNode t = OidcMapper.of(p).traits(CLAIMS);
    assertEquals(JSON.readTree("{\"email\":\"a@example.com\",\"name\":{\"first\":\"Ada\",\"last\":\"Lovelace\"}}"), t);
  }

  @Test
  void traitsWhenKratosDocsMapperFromFileThenItsTraits(@TempDir Path dir) throws Exception {
    // the shape of Kratos' documented generic mapper
    Path f = dir.resolve("mapper.jsonnet");
    Files.writeString(f, """
        local claims = std.extVar('claims');
        {
          identity: {
            traits: {
              // the email might be missing
              [if 'email' in claims && claims.email_verified then 'email' else null]: claims.email,
              name: { first: claims.given_name, last: claims.family_name },
            },
          },
        }
        """);
    JsonNode t = OidcMapper.of(withMapper(f.toUri())).traits(CLAIMS);
    assertEquals("a@example.com", t.path("email").asText());
    assertEquals("Lovelace", t.path("name").path("last").asText());
    JsonNode noEmail = OidcMapper.of(withMapper(f.toUri())).traits(JSON.readTree("{\"sub\":\"u\",\"given_name\":\"A\","
        + "\"family_name\":\"B\"}"));
    assertTrue(noEmail.path("email").isMissingNode(), noEmail.toString());
  }

  @Test
  void ofWhenMapperOutsideTheSubsetThenRefusedWithTheKey() {
    String src = "local claims = std.extVar('claims'); local x = 1; { identity: { traits: { email: claims.email } } }";
    URI url = URI.create("base64://" + Base64.getEncoder().encodeToString(src.getBytes(StandardCharsets.UTF_8)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OidcMapper.of(withMapper(url)));
    assertTrue(e.getMessage().startsWith("selfservice.methods.oidc.config.providers[p].mapper_url"), e.getMessage());
  }

  @Test
  void ofWhenMapperUrlSchemeUnsupportedThenRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OidcMapper.of(withMapper(
        URI.create("https://mappers.example/m.jsonnet"))));
    assertTrue(e.getMessage().contains("only file:// and base64://"), e.getMessage());
  }

  @Test
  void traitsWhenMapperGivesNoTraitsThenRefused() {
    String src = "function(claims) { identity: {} }";
    URI url = URI.create("base64://" + Base64.getEncoder().encodeToString(src.getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> OidcMapper.of(withMapper(url)).traits(CLAIMS));
  }
}
