package io.ory4j.benchmarks.oauth2.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP comparison of {@link HttpPeerBenchmark} with wrk as the load generator instead of JMH's JDK HTTP client,
 * whose own cost on the shared two cores capped every server near the same rate. All servers of a comparison run at
 * once, and the measured runs alternate between them in rounds, so a change in the machine's load falls on each
 * alike; each figure is the median of the rounds, after {@code warmup} unmeasured rounds. Needs {@code wrk} on the PATH (Debian's package).
 *
 * <pre>
 * java -cp benchmarks/target/ory4j-benchmarks.jar io.ory4j.benchmarks.oauth2.http.WrkPeerRun \
 *     [endpoint=token|introspect] [stored=1000] [servers=ory4j,spring-plaintext] [rounds=3] [seconds=10] [warmup=2]
 * </pre>
 */
public final class WrkPeerRun {
  private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:(.*)");

  private WrkPeerRun() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>(Map.of("endpoint", "introspect", "stored", "1000",
        "servers", "ory4j,spring-plaintext", "rounds", "3", "seconds", "10", "warmup", "2"));
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      a.put(kv[0], kv[1]);
    }
    String endpoint = a.get("endpoint");
    int stored = Integer.parseInt(a.get("stored"));
    int rounds = Integer.parseInt(a.get("rounds"));
    int seconds = Integer.parseInt(a.get("seconds"));
    int warmup = Integer.parseInt(a.get("warmup"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<PeerServer> servers = new ArrayList<>();
    Map<String, Path> scripts = new LinkedHashMap<>();
    try {
      for (String kind : a.get("servers").split(",")) {
        PeerServer p = PeerServer.start(kind, stored);
        servers.add(p);
        Duration up = p.awaitFirstToken(http, Duration.ofMinutes(10));
        System.out.printf("%s: first token after %d ms (%d tokens preloaded)%n", kind, up.toMillis(), stored);
        scripts.put(kind, script(p, http, endpoint));
      }
      Map<String, List<Double>> rates = new LinkedHashMap<>();
      for (int w = 0; w < warmup; w++) {
        for (PeerServer p : servers) {
          wrk(p, endpoint, scripts.get(p.kind), seconds); // warm-up (the JIT), not counted
        }
      }
      for (PeerServer p : servers) {
        rates.put(p.kind, new ArrayList<>());
      }
      for (int r = 1; r <= rounds; r++) {
        for (PeerServer p : servers) {
          double rate = wrk(p, endpoint, scripts.get(p.kind), seconds);
          rates.get(p.kind).add(rate);
          System.out.printf("round %d %s %s: %.0f requests/s%n", r, p.kind, endpoint, rate);
        }
      }
      System.out.printf("%n%s, %d stored, wrk -t2 -c8, %d rounds of %d s, median (all rounds):%n", endpoint, stored,
          rounds, seconds);
      for (Map.Entry<String, List<Double>> e : rates.entrySet()) {
        List<Double> sorted = e.getValue().stream().sorted().toList();
        System.out.printf("  %-18s %10.0f  %s%n", e.getKey(), sorted.get(sorted.size() / 2), e.getValue().stream()
            .map(d -> String.format("%.0f", d)).toList());
      }
    } finally {
      servers.forEach(PeerServer::close);
    }
  }

  /** A wrk Lua script sending the endpoint's request (for introspection, of a token issued now). */
  private static Path script(PeerServer p, HttpClient http, String endpoint) throws IOException {
    HttpRequest req = p.tokenRequest();
    String body = "grant_type=client_credentials&scope=read";
    if ("introspect".equals(endpoint)) {
      Matcher m = ACCESS_TOKEN.matcher(PeerServer.send(http, req));
      if (!m.find()) {
        throw new IllegalStateException(p.kind + ": no access_token in the token response");
      }
      req = p.introspectionRequest(m.group(1));
      body = "token=" + m.group(1);
      if (!PeerServer.send(http, req).contains("\"active\":true")) {
        throw new IllegalStateException(p.kind + ": the issued token does not introspect as active");
      }
    }
    StringBuilder lua = new StringBuilder("wrk.method = \"POST\"\nwrk.body = \"" + body + "\"\n");
    for (Map.Entry<String, List<String>> h : req.headers().map().entrySet()) {
      lua.append("wrk.headers[\"").append(h.getKey()).append("\"] = \"").append(h.getValue().get(0)).append("\"\n");
    }
    if (req.headers().firstValue("Content-Type").isEmpty()) {
      lua.append("wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"\n");
    }
    Path f = Files.createTempFile("ory4j-wrk-" + p.kind + "-", ".lua");
    Files.writeString(f, lua, StandardCharsets.UTF_8);
    f.toFile().deleteOnExit();
    return f;
  }

  /** One wrk run; answers requests per second, and fails the run on any non-2xx answer or socket error. */
  private static double wrk(PeerServer p, String endpoint, Path script, int seconds) throws Exception {
    String path = "token".equals(endpoint) ? "/oauth2/token"
        : "ory4j".equals(p.kind) ? "/admin/oauth2/introspect" : "/oauth2/introspect";
    Process w = new ProcessBuilder("wrk", "-t2", "-c8", "-d" + seconds + "s", "--timeout", "60s", "-s",
        script.toString(),
        p.base.resolve(path).toString()).redirectErrorStream(true).start();
    String out = new String(w.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (w.waitFor() != 0) {
      throw new IllegalStateException("wrk failed: " + out);
    }
    Matcher non2xx = NON_2XX.matcher(out);
    Matcher socket = SOCKET_ERRORS.matcher(out);
    if (non2xx.find() || socket.find()) {
      throw new IllegalStateException(p.kind + ": errors in the run: " + out);
    }
    Matcher rate = RATE.matcher(out);
    if (!rate.find()) {
      throw new IllegalStateException("no rate in wrk's output: " + out);
    }
    return Double.parseDouble(rate.group(1));
  }
}
