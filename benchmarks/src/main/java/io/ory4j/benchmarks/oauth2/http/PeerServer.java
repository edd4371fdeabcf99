package io.ory4j.benchmarks.oauth2.http;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One server under test in its own JVM, started with the same heap settings whichever it is: {@code ory4j}
 * ({@link OryTokenServer}, from this benchmark jar), or Spring Authorization Server: {@code spring} is its stock
 * setup (the client's secret bcrypt-hashed, checked on every request, introspection included, since Spring's
 * introspection endpoint authenticates a client); {@code spring-plaintext} stores the secret in plain text, to show
 * Spring's cost without the hash. Spring's classpath comes from its module's {@code target/}, found through the
 * system property {@code ory4j.peer.sas} (default {@code benchmarks/peer-spring-authorization-server/target}).
 */
final class PeerServer implements AutoCloseable {
  static final String SECRET = "bench-secret-0123456789abcdef";
  private static final List<String> HEAP = List.of("-Xms512m", "-Xmx4g");

  final String kind;
  final URI base;
  final Process process;
  final long startedNanos;

  private PeerServer(String kind, URI base, Process process, long startedNanos) {
    this.kind = kind;
    this.base = base;
    this.process = process;
    this.startedNanos = startedNanos;
  }

  static PeerServer start(String kind, int preload) {
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(HEAP);
    if ("ory4j".equals(kind)) {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), OryTokenServer.class.getName(),
          Integer.toString(port), Integer.toString(preload), SECRET));
    } else if (kind.startsWith("spring")) {
      Path target = Path.of(System.getProperty("ory4j.peer.sas", "benchmarks/peer-spring-authorization-server/target"));
      String cp;
      try {
        cp = target.resolve("classes") + File.pathSeparator
            + Files.readString(target.resolve("classpath.txt"), StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("build the peer first: mvn -pl benchmarks/peer-spring-authorization-server "
            + "package (looked in " + target.toAbsolutePath() + ")", e);
      }
      cmd.addAll(List.of("-cp", cp, "io.ory4j.benchmarks.peers.sas.SpringAuthorizationServerPeer",
          "--server.port=" + port, "--peer.preload=" + preload, "--peer.secret=" + SECRET,
          "--logging.level.root=WARN", "--peer.plaintext=" + kind.equals("spring-plaintext")));
    } else {
      throw new IllegalArgumentException("unknown server " + kind);
    }
    try {
      File log = File.createTempFile("ory4j-peer-" + kind + "-", ".log");
      long t0 = System.nanoTime();
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
      // an interrupted run must not leave the server behind
      Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
      return new PeerServer(kind, URI.create("http://127.0.0.1:" + port), p, t0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpRequest tokenRequest() {
    return HttpRequest.newBuilder(base.resolve("/oauth2/token"))
        .header("Authorization", basic("bench"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read")).build();
  }

  /** Hydra's admin introspection (no client authentication, admin port); Spring's authenticates the client. */
  HttpRequest introspectionRequest(String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(
        "ory4j".equals(kind) ? "/admin/oauth2/introspect" : "/oauth2/introspect"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + token));
    if (!"ory4j".equals(kind)) {
      b.header("Authorization", basic("bench"));
    }
    return b.build();
  }

  /** Polls the token endpoint until it answers 200; returns the time since the process was started. */
  Duration awaitFirstToken(HttpClient http, Duration timeout) throws InterruptedException {
    HttpRequest req = tokenRequest();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(kind + " server exited with " + process.exitValue());
      }
      try {
        if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(kind + " server did not issue a token within " + timeout);
  }

  static String basic(String client) {
    return "Basic " + Base64.getEncoder().encodeToString((client + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
  }

  static String send(HttpClient http, HttpRequest req) {
    try {
      HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() != 200) {
        throw new IllegalStateException(req.uri() + " answered " + res.statusCode() + ": " + res.body());
      }
      return res.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
