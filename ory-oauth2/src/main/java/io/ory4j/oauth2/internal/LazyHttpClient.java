package io.ory4j.oauth2.internal;

import java.net.http.HttpClient;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A {@code java.net.http} client (no redirects) built on first use: building one sets up TLS and reads the trust
 * store, about a fifth of a second, which a provider that never calls out should not pay at start-up.
 */
final class LazyHttpClient {
  private final Duration connectTimeout;
  private volatile @Nullable HttpClient client;

  LazyHttpClient(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  HttpClient get() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
              .build();
          client = c;
        }
      }
    }
    return c;
  }
}
