package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.config.OryConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ory's published JavaScript SDKs (@ory/keto-client, @ory/kratos-client, @ory/hydra-client) run unchanged against the
 * example server: {@code src/test/sdk/ory-sdk-check.mjs}. Needs Node.js and npm (the packages are installed into a
 * temporary folder); skipped with the reason where Node.js is missing.
 */
class OrySdkCompatibilityTest {

  @TempDir
  Path data;

  @TempDir
  Path sdk;

  @Test
  void orySdksWhenRunAgainstTheExampleThenEveryStepAnswersAsOry() throws Exception {
    // a registry that cannot be reached skips the test (with the reason); an SDK call that fails fails it
    NodeProject node = NodeProject.install("sdk", sdk, "package.json", ".npmrc", "ory-sdk-check.mjs");
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      String out = node.node(120, "ory-sdk-check.mjs", s.publicUrl().toString(), s.adminUrl().toString());
      assertEquals(true, out.contains("all steps passed"), out);
    }
  }
}
