package io.ory4j.identity.http;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server (the JDK's) standing for a web hook receiver: it records each request and answers with the
 * configured status and body; {@link #holdAnswers()} makes it wait until {@link #release()} before answering.
 */
final class WebHookTarget implements AutoCloseable {

  /** One received request. */
  record Received(String method, String path, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }
  }

  private final HttpServer server;
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private volatile int status = 200;
  private volatile String answer = "";
  private volatile CountDownLatch hold = new CountDownLatch(0);

  WebHookTarget() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      received.add(new Received(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(
          ex.getRequestHeaders()), new String(body, StandardCharsets.UTF_8)));
      try {
        hold.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers every request with this status and JSON body. */
  void answer(int s, String body) {
    status = s;
    answer = body;
  }

  void holdAnswers() {
    hold = new CountDownLatch(1);
  }

  void release() {
    hold.countDown();
  }

  /** The next received request, waiting for it at most 10 s (async hooks); fails when none came. */
  Received next() throws InterruptedException {
    Received r = received.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the web hook target received no request");
    }
    return r;
  }

  /** True when no request was received (a synchronous flow already finished, so none is on its way). */
  boolean nothingReceived() {
    return received.isEmpty();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
