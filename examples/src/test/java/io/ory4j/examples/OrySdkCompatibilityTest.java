package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.config.OryConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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

  private static boolean available(String command) {
    try {
      Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String run(Path dir, int timeoutSeconds, String... command) throws Exception {
    Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  @Test
  void orySdksAndKratosUiWhenRunAgainstTheExampleThenEveryStepAnswersAsOry() throws Exception {
    Assumptions.assumeTrue(available("node") && available("npm"),
        "Node.js and npm are not installed: Ory's JavaScript SDKs cannot run here");
    Path src = Path.of("src/test/sdk");
    for (String f : List.of("package.json", ".npmrc", "ory-sdk-check.mjs", "kratos-ui-check.mjs")) {
      Files.copy(src.resolve(f), sdk.resolve(f));
    }
    // a registry that cannot be reached skips the test (with the reason); an SDK call that fails fails it
    Process install = new ProcessBuilder("npm", "install", "--no-package-lock", "--no-audit", "--no-fund",
        "--loglevel=error").directory(sdk.toFile()).redirectErrorStream(true).start();
    boolean done = install.waitFor(300, TimeUnit.SECONDS);
    String installOut = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      install.destroyForcibly();
    }
    Assumptions.assumeTrue(done && install.exitValue() == 0,
        "could not install Ory's SDKs from the npm registry: " + installOut);
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      String out = run(sdk, 120, "node", "ory-sdk-check.mjs", s.publicUrl().toString(), s.adminUrl().toString());
      assertEquals(true, out.contains("all steps passed"), out);
      String ui = run(sdk, 120, "node", "kratos-ui-check.mjs", s.publicUrl().toString());
      assertEquals(true, ui.contains("all steps passed"), ui);
    }
  }
}
