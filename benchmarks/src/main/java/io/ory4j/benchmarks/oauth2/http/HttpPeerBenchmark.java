package io.ory4j.benchmarks.oauth2.http;

import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests per second over HTTP/1.1 on loopback, four client threads, against ory4j or Spring Authorization Server
 * (see {@link PeerServer} for {@code server}), each in its own JVM with the same heap: {@code token} is
 * {@code /oauth2/token} with client_credentials and an opaque access token; {@code introspect} introspects one
 * active token while {@code stored} other access tokens are held in the server's in-memory store. Every HTTP answer
 * must be 200, or the run fails; a request that gets no HTTP answer at all is counted in {@code transportFailures}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx512m")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(4)
public class HttpPeerBenchmark {
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  @Param({"ory4j", "spring", "spring-plaintext"})
  public String server;

  @Param({"1000"})
  public int stored;

  private PeerServer peer;
  private HttpClient http;
  private HttpRequest token;
  private HttpRequest introspect;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    peer = PeerServer.start(server, stored);
    peer.awaitFirstToken(http, Duration.ofMinutes(5));
    token = peer.tokenRequest();
    Matcher m = ACCESS_TOKEN.matcher(PeerServer.send(http, token));
    if (!m.find()) {
      throw new IllegalStateException("no access_token in the token response");
    }
    introspect = peer.introspectionRequest(m.group(1));
    if (!PeerServer.send(http, introspect).contains("\"active\":true")) {
      throw new IllegalStateException("the issued token does not introspect as active");
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    peer.close();
  }

  /** Requests that failed at the transport (no HTTP answer at all), reported beside the score instead of failing. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Failures {
    public long transportFailures;
  }

  @Benchmark
  public @Nullable String token(Failures failures) {
    return send(token, failures);
  }

  @Benchmark
  public @Nullable String introspect(Failures failures) {
    return send(introspect, failures);
  }

  private @Nullable String send(HttpRequest request, Failures failures) {
    try {
      return PeerServer.send(http, request);
    } catch (UncheckedIOException e) {
      failures.transportFailures++;
      return null;
    }
  }
}
