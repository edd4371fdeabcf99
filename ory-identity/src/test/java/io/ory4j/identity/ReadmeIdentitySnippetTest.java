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

  @Test
  void multiFactorSnippet() {
    JsonNode personSchema = IdentityServiceTest.schemas().schema("default").orElseThrow();
    OryJson json = OryJson.create();
    IdentityService identities = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration())
        .schemas(IdentitySchemas.of("default", Map.of("default", personSchema))).build();
    IdentityService.Login login = identities.registerWithPassword(null,
        json.readTree("{\"email\":\"ada@example.com\"}"), "correct horse battery staple");
    java.util.UUID id = login.identity().id();
    java.util.function.Function<String, String> authenticatorApp = secret -> io.ory4j.identity.internal.Totp.code(
        io.ory4j.identity.internal.Totp.fromBase32(secret).orElseThrow(),
        io.ory4j.identity.internal.Totp.step(java.time.Instant.now().getEpochSecond()));
    // README: ory-identity MFA
    IdentityService.TotpEnrolment totp = identities.startTotpEnrolment(id, "My App");  // show totp.url() as a QR code
    identities.confirmTotp(id, totp.url(), authenticatorApp.apply(totp.secret()));  // stores the "totp" credential
    java.util.List<String> backupCodes = identities.regenerateLookupSecrets(id);       // 12 codes, shown once
    // whoami(token, "highest_available") now throws 403 session_aal2_required for the aal1 session
    Session aal2 = identities.loginSecondFactor(login.sessionToken(), "lookup_secret", backupCodes.get(0));
    Session ok = identities.whoami(login.sessionToken(), "highest_available").orElseThrow();  // same token, aal2
    // end README
    assertEquals("aal2", aal2.authenticatorAssuranceLevel());
    assertEquals(aal2.id(), ok.id());
    assertEquals(11, identities.remainingLookupSecrets(id));
  }

  @Test
  void batchImportSnippet() {
    JsonNode personSchema = IdentityServiceTest.schemas().schema("default").orElseThrow();
    OryJson json = OryJson.create();
    IdentityService identities = IdentityService.builder()
        .hooks(SelfServiceHooks.sessionAfterRegistration())
        .schemas(IdentitySchemas.of("default", Map.of("default", personSchema))).build();
    // README: ory-identity import
    java.util.List<IdentityService.BatchResult> results = identities.createIdentities(java.util.List.of(
        IdentityService.IdentityCreate.of(json.readTree("{\"email\":\"ada@example.com\"}"))
            .withHashedPassword("$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/"),   // password "test", from crypt(3)
        IdentityService.IdentityCreate.of(json.readTree("{\"email\":\"bob@example.com\"}"))
            .withHashedPassword("$sha256-crypt$rounds=9999999$salt$x")));        // refused, the others still go in
    // results: [create <id>, error "malformed sha-crypt hash ..."] (PATCH /admin/identities over HTTP)
    IdentityService.Login login = identities.loginWithPassword("ada@example.com", "test");
    Session refreshed = identities.refreshWithPassword(login.sessionToken(), "test");  // login with refresh=true
    // end README
    assertEquals(java.util.List.of("create", "error"), results.stream().map(IdentityService.BatchResult::action)
        .toList());
    assertEquals(login.session().id(), refreshed.id());
    assertTrue(identities.getIdentity(login.identity().id(), true).orElseThrow().credentials().get("password")
        .config().get("hashed_password").asText().startsWith("$2a$12$"), "the imported md5-crypt hash is rehashed");
  }
}
