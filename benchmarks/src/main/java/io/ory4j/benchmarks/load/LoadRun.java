package io.ory4j.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.json.OryJson;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bounded load run on loopback against the example server, as an operator would run it: the server's own jar in
 * its own JVM (default DSN, an H2 file database; {@code -Xmx512m}), then for a fixed time a mix of the five hot
 * endpoints from several client threads, each answer checked: {@code POST /oauth2/token} (client_credentials),
 * {@code POST /admin/oauth2/introspect}, {@code GET /decisions/api/posts} (Oathkeeper's decision API),
 * {@code GET /relation-tuples/check} (Keto) and {@code GET /sessions/whoami} (Kratos). It prints throughput,
 * latency percentiles and the error count per endpoint, and the server's heap after a full GC before and after the
 * run (read with {@code jcmd}). Not a JMH benchmark: it measures the whole server under sustained traffic.
 *
 * <pre>
 * mvn -B -q -pl examples,benchmarks -am package -DskipTests
 * java -cp benchmarks/target/ory4j-benchmarks.jar io.ory4j.benchmarks.load.LoadRun \
 *     --jar examples/target/ory4j-examples.jar --seconds 180 --threads 8
 * </pre>
 */
public final class LoadRun {
  private static final String SECRET = "load-run-system-secret-0123456789abcdef";
  private static final List<String> ENDPOINTS = List.of("token", "introspect", "decision", "check", "whoami");

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final OryJson json = OryJson.create();

  private LoadRun() {}

  /** Per thread and endpoint: latencies in nanoseconds, and failures by kind. */
  private static final class Tally {
    final Map<String, long[]> latencies = new LinkedHashMap<>();
    final Map<String, Integer> counts = new LinkedHashMap<>();
    final Map<String, Integer> failures = new TreeMap<>();

    void record(String endpoint, long nanos) {
      long[] a = latencies.computeIfAbsent(endpoint, e -> new long[1 << 16]);
      int n = counts.merge(endpoint, 1, Integer::sum);
      if (n > a.length) {
        a = Arrays.copyOf(a, a.length * 2);
        latencies.put(endpoint, a);
      }
      a[n - 1] = nanos;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>(Map.of("--jar", "examples/target/ory4j-examples.jar",
        "--seconds", "180", "--threads", "8", "--heap", "512m"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i], args[i + 1]);
    }
    new LoadRun().run(Path.of(opt.get("--jar")), Integer.parseInt(opt.get("--seconds")),
        Integer.parseInt(opt.get("--threads")), opt.get("--heap"), System.out);
  }

  private void run(Path jar, int seconds, int threads, String heap, PrintStream out) throws Exception {
    int publicPort = freePort();
    int adminPort = freePort();
    Path data = Files.createTempDirectory("ory4j-load");
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx" + heap, "-jar", jar.toString()).redirectErrorStream(true)
        .redirectOutput(File.createTempFile("ory4j-load-server", ".log"));
    pb.environment().putAll(Map.of("SERVE_PUBLIC_PORT", Integer.toString(publicPort), "SERVE_ADMIN_PORT",
        Integer.toString(adminPort), "DATA_DIR", data.toString(), "DSN", "h2:file:" + data.resolve("db"),
        "SECRETS_SYSTEM", SECRET, "HASHERS_BCRYPT_COST", "4"));
    Process server = pb.start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
    try {
      URI pub = URI.create("http://127.0.0.1:" + publicPort);
      URI admin = URI.create("http://127.0.0.1:" + adminPort);
      awaitReady(admin, server);
      Map<String, HttpRequest> requests = fixtures(pub, admin);
      Map<String, Predicate<HttpResponse<String>>> ok = Map.of(
          "token", r -> r.statusCode() == 200 && r.body().contains("\"access_token\""),
          "introspect", r -> r.statusCode() == 200 && r.body().contains("\"active\":true"),
          "decision", r -> r.statusCode() == 200,
          "check", r -> r.statusCode() == 200 && r.body().contains("\"allowed\":true"),
          "whoami", r -> r.statusCode() == 200 && r.body().contains("\"active\":true"));

      // a short warm-up, so the heap baseline holds the classes and caches of every path
      drive(requests, ok, threads, Duration.ofSeconds(15));
      long heapBefore = heapAfterGc(server.pid());
      long start = System.nanoTime();
      List<Tally> tallies = drive(requests, ok, threads, Duration.ofSeconds(seconds));
      double elapsed = (System.nanoTime() - start) / 1e9;
      long heapAfter = heapAfterGc(server.pid());

      out.printf("Load run: %d s, %d client threads, server -Xmx%s, %d cores, load average %s%n%n", seconds,
          threads, heap, Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg"))
              .trim());
      out.println("| endpoint | requests | per second | p50 ms | p90 ms | p99 ms | max ms | errors |");
      out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
      long total = 0;
      long errors = 0;
      for (String e : ENDPOINTS) {
        long[] all = merge(tallies, e);
        int failed = tallies.stream().mapToInt(t -> t.failures.entrySet().stream()
            .filter(f -> f.getKey().startsWith(e + ":")).mapToInt(Map.Entry::getValue).sum()).sum();
        total += all.length;
        errors += failed;
        out.printf("| %s | %,d | %,.0f | %.2f | %.2f | %.2f | %.1f | %d |%n", e, all.length, all.length / elapsed,
            pct(all, 0.50), pct(all, 0.90), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
            failed);
      }
      out.printf("%nall: %,d requests, %,.0f per second, %d errors%n", total, total / elapsed, errors);
      Map<String, Integer> kinds = new TreeMap<>();
      tallies.forEach(t -> t.failures.forEach((k, v) -> kinds.merge(k, v, Integer::sum)));
      kinds.forEach((k, v) -> out.println("  error " + k + ": " + v));
      out.printf("server heap used after a full GC: %.1f MiB before the run, %.1f MiB after%n",
          heapBefore / 1048576.0, heapAfter / 1048576.0);
      out.println("largest classes on the server's heap after the run (jcmd GC.class_histogram):");
      jcmd(server.pid(), "GC.class_histogram").lines().skip(1).limit(14).forEach(l -> out.println("  " + l.strip()));
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
    }
  }

  private Map<String, HttpRequest> fixtures(URI pub, URI admin) throws Exception {
    JsonNode client = json.readTree(send(HttpRequest.newBuilder(admin.resolve("/admin/clients"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"grant_types\":[\"client_credentials\"],\"scope\":\"read\"}")).build(), 201));
    String basic = "Basic " + Base64.getEncoder().encodeToString((client.get("client_id").asText() + ":"
        + client.get("client_secret").asText()).getBytes(StandardCharsets.UTF_8));
    HttpRequest token = HttpRequest.newBuilder(pub.resolve("/oauth2/token")).header("Authorization", basic)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=read")).build();
    String accessToken = json.readTree(send(token, 200)).get("access_token").asText();
    JsonNode flow = json.readTree(send(HttpRequest.newBuilder(pub.resolve("/self-service/registration/api"))
        .build(), 200));
    String sessionToken = json.readTree(send(HttpRequest.newBuilder(pub.resolve("/self-service/registration?flow="
        + flow.get("id").asText())).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
        .ofString("{\"method\":\"password\",\"password\":\"correct horse staple battery\",\"traits\":{\"email\":"
            + "\"load@example.com\"}}")).build(), 200)).get("session_token").asText();
    send(HttpRequest.newBuilder(admin.resolve("/admin/relation-tuples")).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"namespace\":\"blog\",\"object\":\"post-1\",\"relation\":"
            + "\"owner\",\"subject_id\":\"alice\"}")).build(), 201);
    Map<String, HttpRequest> r = new LinkedHashMap<>();
    r.put("token", token);
    r.put("introspect", HttpRequest.newBuilder(admin.resolve("/admin/oauth2/introspect"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + accessToken)).build());
    r.put("decision", HttpRequest.newBuilder(pub.resolve("/decisions/api/posts")).header("X-Forwarded-Method", "GET")
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "blog.example").build());
    r.put("check", HttpRequest.newBuilder(pub.resolve("/relation-tuples/check?namespace=blog&object=post-1"
        + "&relation=delete&subject_id=alice")).build());
    r.put("whoami", HttpRequest.newBuilder(pub.resolve("/sessions/whoami")).header("X-Session-Token", sessionToken)
        .build());
    return r;
  }

  /** Every thread sends the endpoints in turn until the time is up; answers that fail the check are counted. */
  private List<Tally> drive(Map<String, HttpRequest> requests, Map<String, Predicate<HttpResponse<String>>> ok,
      int threads, Duration duration) throws InterruptedException {
    long end = System.nanoTime() + duration.toNanos();
    List<Tally> tallies = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Tally tally = new Tally();
      tallies.add(tally);
      int offset = i;
      Thread t = new Thread(() -> {
        for (int n = offset; System.nanoTime() < end; n++) {
          String e = ENDPOINTS.get(n % ENDPOINTS.size());
          long t0 = System.nanoTime();
          try {
            HttpResponse<String> r = http.send(requests.get(e), HttpResponse.BodyHandlers.ofString());
            tally.record(e, System.nanoTime() - t0);
            if (!ok.get(e).test(r)) {
              tally.failures.merge(e + ": HTTP " + r.statusCode(), 1, Integer::sum);
            }
          } catch (IOException x) {
            tally.failures.merge(e + ": " + x.getClass().getSimpleName() + " " + x.getMessage(), 1, Integer::sum);
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }, "load-" + i);
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join();
    }
    return tallies;
  }

  private static long[] merge(List<Tally> tallies, String endpoint) {
    int n = tallies.stream().mapToInt(t -> t.counts.getOrDefault(endpoint, 0)).sum();
    long[] all = new long[n];
    int at = 0;
    for (Tally t : tallies) {
      int c = t.counts.getOrDefault(endpoint, 0);
      if (c > 0) {
        System.arraycopy(t.latencies.get(endpoint), 0, all, at, c);
        at += c;
      }
    }
    Arrays.sort(all);
    return all;
  }

  private static double pct(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }

  private String send(HttpRequest request, int expected) throws Exception {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected) {
      throw new IllegalStateException(request.uri() + " answered " + r.statusCode() + ": " + r.body());
    }
    return r.body();
  }

  private void awaitReady(URI admin, Process server) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("the example server exited with " + server.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(admin.resolve("/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("the example server was not ready within 60 s");
  }

  /** The heap in use after a full collection, from {@code jcmd <pid> GC.heap_info} after {@code GC.run}. */
  private static long heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    long used = 0;
    if (m.find()) {
      used = Long.parseLong(m.group(1)) * 1024;
    }
    return used;
  }

  private static String jcmd(long pid, String command) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String jcmd = Path.of(java).resolveSibling("jcmd").toString();
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
