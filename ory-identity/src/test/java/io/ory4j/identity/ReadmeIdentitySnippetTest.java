package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity snippet in README.md, compiled and run. Keep the two in step. */
class ReadmeIdentitySnippetTest {

  @Test
  void identitySnippet() {
    JsonNode personSchema = IdentityServiceTest.schemas().schema("default").orElseThrow();
    // README: ory-identity
    OryJson json = OryJson.create();
    IdentityService identities = IdentityService.builder()
        .schemas(IdentitySchemas.of("default", Map.of("default", personSchema)))   // Kratos identity schemas
        .build();                                        // .identityStore(new JdbcIdentityStore(jdbc, json)) for SQL
    IdentityService.Login signup = identities.registerWithPassword(null,
        json.readTree("{\"email\":\"ada@example.com\"}"), "correct horse battery staple");
    IdentityService.Login login = identities.loginWithPassword("ada@example.com", "correct horse battery staple");
    Session session = identities.whoami(login.sessionToken()).orElseThrow();     // ory_kratos_session / X-Session-Token
    // end README
    assertEquals(signup.identity().id(), session.identity().id());
    assertTrue(login.sessionToken().startsWith("ory_st_"));
  }
}
