package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.config.OryConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ory's published JavaScript SDKs (@ory/keto-client, @ory/kratos-client, @ory/hydra-client) run unchanged against the
 * example server ({@code src/test/sdk/ory-sdk-check.mjs}), and Ory's UI library for Kratos, @ory/elements-markup (what
 * kratos-selfservice-ui-node renders its pages with; it imports express, hence that dependency), renders the
 * example's flows as it renders Kratos' ({@code kratos-ui-check.mjs}). Needs Node.js and npm (the packages are
 * installed into a temporary folder); skipped with the reason where Node.js is missing.
 */
class OrySdkCompatibilityTest {

  @TempDir
  Path data;

  @TempDir
  Path sdk;

  @Test
  void orySdksAndKratosUiWhenRunAgainstTheExampleThenEveryStepAnswersAsOry() throws Exception {
    // a registry that cannot be reached skips the test (with the reason); an SDK call that fails fails it
    NodeProject node = NodeProject.install("sdk", sdk, "package.json", ".npmrc", "ory-sdk-check.mjs",
        "kratos-ui-check.mjs");
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      String out = node.node(120, "ory-sdk-check.mjs", s.publicUrl().toString(), s.adminUrl().toString());
      assertEquals(true, out.contains("all steps passed"), out);
      String ui = node.node(120, "kratos-ui-check.mjs", s.publicUrl().toString());
      assertEquals(true, ui.contains("all steps passed"), ui);
    }
  }
}
