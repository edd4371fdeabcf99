package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node.js script and its {@code package.json}, copied from {@code src/test/<folder>} into a temporary folder and
 * installed there from npm. Skips the calling test (with the reason) where Node.js or npm is missing or the registry
 * cannot be reached; a script that fails fails the test.
 */
final class NodeProject {

  private final Path dir;

  private NodeProject(Path dir) {
    this.dir = dir;
  }

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

  /** Copies {@code files} of {@code src/test/<folder>} into {@code dir} and runs {@code npm install} there. */
  static NodeProject install(String folder, Path dir, String... files) throws Exception {
    Assumptions.assumeTrue(available("node") && available("npm"),
        "Node.js and npm are not installed: the JavaScript libraries cannot run here");
    Path src = Path.of("src/test", folder);
    for (String f : files) {
      Files.copy(src.resolve(f), dir.resolve(f));
    }
    Process install = new ProcessBuilder("npm", "install", "--no-package-lock", "--no-audit", "--no-fund",
        "--loglevel=error").directory(dir.toFile()).redirectErrorStream(true).start();
    boolean done = install.waitFor(300, TimeUnit.SECONDS);
    String out = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!done) {
      install.destroyForcibly();
    }
    Assumptions.assumeTrue(done && install.exitValue() == 0,
        "could not install the JavaScript libraries from the npm registry: " + out);
    return new NodeProject(dir);
  }

  /** Runs {@code node <args>} in the project; fails unless it exits with 0; returns its output. */
  String node(int timeoutSeconds, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("node"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
    return out;
  }
}
