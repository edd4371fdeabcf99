package io.ory4j.benchmarks.oauth2.http;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Startup to first token, as an operator sees it: from launching the server's JVM to the first 200 from
 * {@code /oauth2/token} over HTTP (JVM boot, class loading, the client's secret check included), for ory4j and for
 * Spring Authorization Server, each launch a new process.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class PeerStartupBenchmark {

  @Param({"ory4j", "spring"})
  public String server;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  @Benchmark
  public Duration startupToFirstToken() throws InterruptedException {
    try (PeerServer peer = PeerServer.start(server, 0)) {
      return peer.awaitFirstToken(http, Duration.ofMinutes(2));
    }
  }
}
