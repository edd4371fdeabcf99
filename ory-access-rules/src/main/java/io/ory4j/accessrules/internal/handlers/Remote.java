package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.spi.HandlerServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Remote calls over java.net.http with a timeout; failures become 500 errors naming the remote, never a trace. */
final class Remote {
  private Remote() {}

  static HttpResponse<byte[]> send(HandlerServices s, String method, URI url, Map<String, String> headers,
      byte[] body, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout)
        .method(method, body.length == 0 && (method.equals("GET") || method.equals("HEAD"))
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, v) -> {
      if (!RESTRICTED.contains(k.toLowerCase(java.util.Locale.ROOT))) {
        b.header(k, v);
      }
    });
    try {
      return s.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw Errors.internal("The remote " + url.getHost() + " did not answer within " + timeout.toMillis() + "ms");
    } catch (IOException e) {
      throw Errors.internal("The remote " + url.getHost() + " is unreachable: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.internal("Interrupted while calling " + url.getHost());
    }
  }

  /**
   * Oathkeeper's {@code retry}: attempts again after a connection failure or a 5xx answer, waiting at most
   * {@code max_delay} between attempts (doubling from 50ms), until {@code give_up_after} has passed.
   */
  record Retry(Duration giveUpAfter, Duration maxDelay) {
    static Retry from(io.ory4j.accessrules.spi.HandlerConfig c) {
      if (!c.has("retry")) {
        return new Retry(Duration.ZERO, Duration.ZERO);
      }
      io.ory4j.accessrules.spi.HandlerConfig r = c.object("retry");
      return new Retry(r.duration("give_up_after", Duration.ofSeconds(1)), r.duration("max_delay",
          Duration.ofMillis(100)));
    }
  }

  static HttpResponse<byte[]> send(HandlerServices s, String method, URI url, Map<String, String> headers,
      byte[] body, Duration timeout, Retry retry) {
    if (retry.giveUpAfter().isZero()) {
      return send(s, method, url, headers, body, timeout);
    }
    long deadline = System.nanoTime() + retry.giveUpAfter().toNanos();
    long delay = Math.min(50, Math.max(1, retry.maxDelay().toMillis()));
    while (true) {
      HttpResponse<byte[]> res = null;
      RuntimeException failure = null;
      try {
        res = send(s, method, url, headers, body, timeout);
      } catch (RuntimeException e) {
        failure = e;
      }
      if (failure == null && res.statusCode() < 500) {
        return res;
      }
      if (System.nanoTime() + delay * 1_000_000L > deadline) {
        if (failure != null) {
          throw failure;
        }
        return res;
      }
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.internal("Interrupted while retrying " + url.getHost());
      }
      delay = Math.min(delay * 2, Math.max(1, retry.maxDelay().toMillis()));
    }
  }

  private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length", "expect",
      "host", "upgrade");
}
