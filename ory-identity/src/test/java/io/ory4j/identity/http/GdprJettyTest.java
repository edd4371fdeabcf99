package io.ory4j.identity.http;

import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.CodeFlowSettings;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceRequest;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.internal.Totp;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** GDPR: everything held about an identity exported as one document, and deleted leaving nothing. */
class GdprJettyTest {

  private static final String PASSWORD = "correct horse staple";

  @Test
  void exportWhenIdentityHasEverythingThenOneDocumentWithoutSecretsAndDeleteLeavesNothing() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-09-01T00:00:00Z"));
    IdentityService service = IdentityService.builder().schemas(IdentityServiceTest.schemas()).clock(clock)
        .hasher(new BcryptHasher(4, new SecureRandom())).verification(CodeFlowSettings.enabledByCode()).build();
    UUID ada = service.createIdentity(null, JSON.readTree("{\"email\":\"ada@example.com\"}"), null, PASSWORD, null,
        JSON.object().put("plan", "gold"), null).id();
    UUID bob = service.createIdentity(null, JSON.readTree("{\"email\":\"bob@example.com\"}"), null, PASSWORD, null,
        null, null).id();
    String token = service.loginWithPassword("ada@example.com", PASSWORD).sessionToken();
    service.loginWithPassword("ada@example.com", PASSWORD);
    service.loginWithPassword("bob@example.com", PASSWORD);
    var totp = service.startTotpEnrolment(ada, "example");
    service.confirmTotp(ada, totp.url(), Totp.code(Totp.fromBase32(totp.secret()).orElseThrow(),
        Totp.step(clock.instant().getEpochSecond())));
    List<String> lookup = service.regenerateLookupSecrets(ada);
    service.sendVerification(UUID.randomUUID(), "code", "ada@example.com", "http://auth.example/x?flow=1",
        SelfServiceRequest.none());
    service.sendVerification(UUID.randomUUID(), "code", "bob@example.com", "http://auth.example/x?flow=2",
        SelfServiceRequest.none());

    try (IdentityJettyServer server = new IdentityJettyServer(service, JSON, clock)) {
      HttpResponse<String> r = server.send("GET", server.admin, "/admin/identities/" + ada + "/export", null);
      assertEquals(200, r.statusCode(), r.body());
      JsonNode export = JSON.readTree(r.body());
      assertEquals(ada.toString(), export.get("identity").get("id").asText());
      assertEquals("gold", export.get("identity").get("metadata_public").get("plan").asText());
      assertEquals(List.of("lookup_secret", "password", "totp"), iterable(export.get("identity").get("credentials")));
      assertEquals("ada@example.com", export.get("identity").get("credentials").get("password").get("identifiers")
          .get(0).asText());
      assertEquals(2, export.get("sessions").size());
      assertEquals(1, export.get("courier_messages").size());
      assertEquals("verification_code_valid", export.get("courier_messages").get(0).get("template_type").asText());
      assertEquals(1, export.get("codes").size());
      assertEquals("verification_code", export.get("codes").get(0).get("purpose").asText());
      String all = r.body();
      assertFalse(all.contains("$2a$"), "no password hash");
      assertFalse(all.contains(totp.secret()), "no TOTP secret");
      assertFalse(all.contains(lookup.get(0)), "no lookup code");
      assertFalse(all.contains("code_hash"));
      assertFalse(all.contains(token), "no session token");

      assertEquals(204, server.send("DELETE", server.admin, "/admin/identities/" + ada, null).statusCode());
      assertEquals(404, server.send("GET", server.admin, "/admin/identities/" + ada + "/export", null).statusCode());
      assertEquals(404, server.send("GET", server.admin, "/admin/identities/" + UUID.randomUUID() + "/export", null)
          .statusCode());
    }
    assertTrue(service.listSessions(ada, null, PageRequest.first()).items().isEmpty());
    assertTrue(service.whoami(token).isEmpty());
    assertEquals(List.of("bob@example.com"), service.courier().messages(PageRequest.first(), null, null).items()
        .stream().map(m -> m.recipient()).toList(), "only the other identity's message is left");
    assertEquals(1, service.listSessions(bob, null, PageRequest.first()).items().size());
    assertEquals(1, service.exportIdentity(bob).get("codes").size());
  }

  private static List<String> iterable(JsonNode object) {
    List<String> out = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
