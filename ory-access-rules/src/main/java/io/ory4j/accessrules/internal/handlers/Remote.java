package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.accessrules.spi.HandlerServices;
import io.ory4j.core.error.OryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Remote calls over java.net.http with a timeout; failures become 500 errors naming the remote, never a trace. */
final class Remote {
  private static final Logger log = LoggerFactory.getLogger(Remote.class);
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private Remote() {}

  static HttpResponse<byte[]> send(HandlerServices s, String method, URI url, Map<String, String> headers,
      byte[] body, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout)
        .method(method, body.length == 0 && (method.equals("GET") || method.equals("HEAD"))
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach((k, v) -> {
      if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) {
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
   * Oathkeeper's {@code retry} ({@code oauth2_introspection}, {@code oauth2_client_credentials}, {@code remote},
   * {@code remote_json}, and the hydrator's {@code api.retry}): an attempt that fails to connect, times out or gets a
   * 5xx answer (but 501) is made again after a delay that starts at 50ms (or {@code max_delay} when smaller) and
   * doubles up to {@code max_delay}, until {@code give_up_after} has passed since the first attempt. Each attempt's
   * timeout is the handler's {@code timeout} cut to the time left, so the call as a whole never outlasts
   * {@code give_up_after}. {@code give_up_after: 0s} makes one attempt with the handler's timeout.
   *
   * @param giveUpAfter the whole call's budget (schema default 1s)
   * @param maxDelay the longest wait between attempts (schema default 100ms)
   */
  record Retry(Duration giveUpAfter, Duration maxDelay) {
    static final Duration FIRST_DELAY = Duration.ofMillis(50);
    static final Retry DEFAULT = new Retry(Duration.ofSeconds(1), Duration.ofMillis(100));

    /** The {@code retry} object of a handler config, with Oathkeeper's defaults for what it leaves out. */
    static Retry from(HandlerConfig c) {
      if (!c.has("retry")) {
        return DEFAULT;
      }
      HandlerConfig r = c.object("retry");
      return new Retry(r.duration("give_up_after", DEFAULT.giveUpAfter), r.duration("max_delay",
          DEFAULT.maxDelay));
    }
  }

  /** {@link #send} under a {@link Retry}. */
  static HttpResponse<byte[]> send(HandlerServices s, String method, URI url, Map<String, String> headers,
      byte[] body, Duration timeout, Retry retry) {
    if (retry.giveUpAfter().isZero() || retry.giveUpAfter().isNegative()) {
      return send(s, method, url, headers, body, timeout);
    }
    Instant start = s.clock().instant();
    Duration slept = Duration.ZERO; // counted too, so a clock that stands still cannot make the loop endless
    Duration delay = max(Duration.ofMillis(1), min(Retry.FIRST_DELAY, retry.maxDelay()));
    for (int attempt = 1; ; attempt++) {
      Duration left = retry.giveUpAfter().minus(max(Duration.between(start, s.clock().instant()), slept));
      HttpResponse<byte[]> res = null;
      OryException failure = null;
      try {
        res = send(s, method, url, headers, body, min(timeout, left.isNegative() || left.isZero()
            ? Duration.ofMillis(1) : left));
      } catch (OryException e) {
        failure = e;
      }
      if (failure == null && !retryable(res.statusCode())) {
        return res;
      }
      left = retry.giveUpAfter().minus(max(Duration.between(start, s.clock().instant()), slept));
      if (delay.compareTo(left) >= 0) {
        log.debug("{}: giving up after {} attempts (give_up_after {})", url.getHost(), attempt,
            retry.giveUpAfter());
        if (failure != null) {
          throw failure.withReason(java.util.Objects.toString(failure.error().reason(), failure.getMessage())
              + " (gave up after " + attempt + " attempts)");
        }
        return res;
      }
      log.debug("{}: attempt {} failed ({}), retrying in {}", url.getHost(), attempt,
          failure != null ? failure.error().reason() : "status " + res.statusCode(), delay);
      try {
        s.sleeper().sleep(delay);
        slept = slept.plus(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Errors.internal("Interrupted while retrying " + url.getHost());
      }
      delay = max(Duration.ofMillis(1), min(delay.multipliedBy(2), retry.maxDelay()));
    }
  }

  private static boolean retryable(int status) {
    return status >= 500 && status != 501;
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
