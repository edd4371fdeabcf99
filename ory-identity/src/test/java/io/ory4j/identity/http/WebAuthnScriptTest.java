package io.ory4j.identity.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The helper script the webauthn and passkey nodes load, run by Node.js against a fake browser: it decodes the
 * options' base64url values into bytes, calls the WebAuthn API, and submits the credential as the JSON the server
 * parses (base64url, Kratos' field names). Skipped, with the reason, where Node.js is missing.
 */
class WebAuthnScriptTest {

  private static final OryJson JSON = OryJson.create();

  @TempDir
  Path dir;

  private Path copy(String resource, String name) throws IOException {
    Path p = dir.resolve(name);
    try (InputStream in = WebAuthnScriptTest.class.getResourceAsStream(resource)) {
      Files.write(p, in.readAllBytes());
    }
    return p;
  }

  @Test
  void scriptWhenCeremoniesRunThenOptionsDecodedAndCredentialsSubmittedAsTheServerReadsThem() throws Exception {
    Path script = copy("/io/ory4j/identity/webauthn.js", "webauthn.js");
    Path harness = copy("/webauthn/harness.js", "harness.js");
    Process p;
    try {
      p = new ProcessBuilder("node", harness.toString(), script.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("Node.js is not installed: " + e.getMessage());
      return;
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    org.junit.jupiter.api.Assertions.assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
    assertEquals(0, p.exitValue(), out);
    JsonNode r = JSON.readTree(out);
    JsonNode create = r.at("/options/0");
    assertEquals("ffef", create.path("challenge").asText(), "base64url '_-8' decoded");
    assertEquals("0001", create.path("user").asText());
    assertEquals("09", create.at("/exclude/0").asText());
    assertEquals("09", r.at("/options/1/allow/0").asText());
    assertEquals("000000", r.at("/options/2/challenge").asText(), "passkey_challenge read from its node");
    assertEquals(List.of("webauthn_register", "webauthn_login", "passkey_login", "passkey_register"),
        r.path("submitted").findValuesAsText("field"));
    JsonNode reg = r.at("/submitted/0/credential");
    assertEquals("AQI", reg.path("rawId").asText());
    assertEquals("public-key", reg.path("type").asText());
    assertEquals("e30", reg.at("/response/clientDataJSON").asText());
    assertEquals("oP_-", reg.at("/response/attestationObject").asText(), "base64url, no padding");
    JsonNode login = r.at("/submitted/1/credential/response");
    assertEquals("CQ", login.path("authenticatorData").asText());
    assertEquals("-_8", login.path("signature").asText());
    assertEquals("Bwc", login.path("userHandle").asText());
  }
}
