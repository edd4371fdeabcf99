package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.OryConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * panva's {@code openid-client} (an OpenID Certified relying-party library) runs unchanged against the example
 * server's provider: discovery, authorization code with PKCE, login and consent answered by a test login app on the
 * admin API, the token request with ID token validation, userinfo and refresh, then a pushed authorization request
 * with DPoP-bound tokens, a signed request object and the device grant ({@code
 * src/test/openid-client/openid-client-check.mjs}). Skipped with the reason where Node.js is missing.
 */
class OpenIdClientCompatibilityTest {

  /** Where the provider sends the browser to log in and consent; the script's browser answers there. */
  private static final String LOGIN_APP = "http://login-app.test";

  @TempDir
  Path data;

  @TempDir
  Path project;

  @Test
  void openIdClientWhenRunAgainstTheProviderThenEveryStepValidates() throws Exception {
    NodeProject node = NodeProject.install("openid-client", project, "package.json", ".npmrc",
        "openid-client-check.mjs");
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "URLS_LOGIN", LOGIN_APP + "/login", "URLS_CONSENT", LOGIN_APP + "/consent", "OAUTH2_DPOP_ENABLED", "true",
        "URLS_DEVICE_VERIFICATION", LOGIN_APP + "/device", "URLS_DEVICE_SUCCESS", LOGIN_APP + "/device/done"))
        .build();
    try (ExampleServer s = ExampleServer.start(config)) {
      String out = node.node(120, "openid-client-check.mjs", s.publicUrl().toString(), s.adminUrl().toString(),
          LOGIN_APP);
      assertTrue(out.contains("all steps passed"), out);
    }
  }
}
