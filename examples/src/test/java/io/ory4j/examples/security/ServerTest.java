package io.ory4j.examples.security;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** One example server per test class (started before its first test, closed after its last). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerTest {

  SecurityFixture f;

  /** Settings added to the in-memory defaults, as environment variables. */
  Map<String, String> settings() {
    return Map.of();
  }

  @BeforeAll
  final void startServer(@TempDir Path data) throws Exception {
    f = SecurityFixture.start(data, settings());
  }

  @AfterAll
  final void stopServer() throws Exception {
    f.close();
  }
}
