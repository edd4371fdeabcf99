package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.ConfigException;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.keys.KeyAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleServerTest {

  @TempDir
  Path data;

  private final HttpClient client = HttpClient.newHttpClient();

  private OryConfig config(String dsn) {
    return OryConfig.builder().environment(Map.of("DSN", dsn, "SERVE_PUBLIC_PORT", "0", "SERVE_ADMIN_PORT", "0",
        "DATA_DIR", data.toString())).build();
  }

  private int get(URI uri) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void startWhenEmbeddedH2ThenHealthOnBothPortsAndKeysSurviveRestart() throws Exception {
    String dsn = "h2:file:" + data.resolve("db");
    String kid;
    try (ExampleServer s = ExampleServer.start(config(dsn))) {
      assertEquals(200, get(s.publicUrl().resolve("/health/alive")));
      assertEquals(200, get(s.publicUrl().resolve("/health/ready")));
      assertEquals(200, get(s.adminUrl().resolve("/health/ready")));
      assertEquals(404, get(s.publicUrl().resolve("/nope")));
      kid = s.keys().createKey("example", KeyAlgorithm.ES256, "sig", null).getKeyID();
    }
    try (ExampleServer s = ExampleServer.start(config(dsn))) {
      assertTrue(s.keys().privateKey("example", kid).orElseThrow().isPrivate(),
          "the generated system secret is kept in the data folder, so keys decrypt after a restart");
    }
  }

  @Test
  void startWhenMemoryThenServes() throws Exception {
    try (ExampleServer s = ExampleServer.start(config("memory"))) {
      assertEquals(200, get(s.adminUrl().resolve("/health/alive")));
    }
  }

  @Test
  void startWhenBadPortThenConfigErrorNamingKey() {
    OryConfig bad = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "x",
        "DATA_DIR", data.toString())).build();
    ConfigException e = assertThrows(ConfigException.class, () -> ExampleServer.start(bad));
    assertTrue(e.getMessage().contains("SERVE_PUBLIC_PORT"));
  }
}
