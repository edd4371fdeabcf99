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

  private static final java.util.Set<String> RESTRICTED = java.util.Set.of("connection", "content-length", "expect",
      "host", "upgrade");
}
