package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.OryConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful shutdown (what SIGTERM runs): a request in flight when the stop begins still gets its answer and its
 * write is committed before the pool closes; new connections are refused; a restart sees the write.
 */
class GracefulShutdownTest {

  @TempDir
  Path data;

  private OryConfig config() {
    return OryConfig.builder().environment(Map.of("DSN", "h2:file:" + data.resolve("db"), "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build();
  }

  @Test
  void closeWhenRequestInFlightThenItCompletesAndIsCommittedBeforeThePoolCloses() throws Exception {
    byte[] body = "{\"traits\":{\"email\":\"inflight@example.com\"}}".getBytes(StandardCharsets.UTF_8);
    int half = body.length / 2;
    ExampleServer s = ExampleServer.start(config());
    URI admin = s.adminUrl();
    CompletableFuture<Void> closed;
    try (Socket socket = new Socket(admin.getHost(), admin.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /admin/identities HTTP/1.1\r\nHost: " + admin.getHost() + "\r\nContent-Type: application/json"
          + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, half);
      out.flush();
      long dispatched = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (s.requestsInFlight() == 0 && System.nanoTime() < dispatched) {
        Thread.onSpinWait();
      }
      assertEquals(1, s.requestsInFlight(), "the request is being handled, waiting for the rest of its body");

      closed = CompletableFuture.runAsync(() -> {
        try {
          s.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!s.stopping() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(s.stopping(), "the stop has begun");
      assertThrows(SocketException.class, () -> waitUntilRefused(admin), "no new connections while stopping");

      out.write(body, half, body.length - half);
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("HTTP/1.1 201 Created", in.readLine(), "the in-flight request is answered");
    }
    closed.get();

    try (ExampleServer again = ExampleServer.start(config())) {
      HttpResponse<String> list = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          again.adminUrl().resolve("/admin/identities")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(list.body().contains("inflight@example.com"), "committed before the pool closed: " + list.body());
    }
  }

  /** Connects until the connector is closed (refused, or reset as it closes); that refusal is the expected outcome. */
  private static void waitUntilRefused(URI admin) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket(admin.getHost(), admin.getPort())) {
        Thread.onSpinWait();
      }
    }
  }
}
