package io.ory4j.accessrules.embedded;

import io.ory4j.core.http.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpClient} that answers requests to chosen base URLs in-process, with an ory4j {@link HttpHandler}, and
 * sends every other request through a real client. Give it to {@code AccessRules.builder().httpClient(...)} and the
 * rules' {@code remote}, {@code remote_json} and {@code hydrator} handlers reach an embedded engine with no network
 * hop and no change to the rule file: a {@code remote_json} authorizer pointed at Keto's
 * {@code http://keto:4466/relation-tuples/check} is then answered by the embedded relation-tuple engine's read API,
 * exactly as Keto would answer it (200 allows, 403 denies).
 *
 * <pre>{@code
 * HttpClient http = InProcessHttpClient.builder(HttpClient.newHttpClient())
 *     .route(URI.create("http://keto:4466"), relations.readApi())
 *     .build();
 * AccessRules rules = AccessRules.builder().httpClient(http)...build();
 * }</pre>
 *
 * <p>A request matches a route when scheme, host and port are equal and its path is the route's path or below it;
 * the handler sees the path below the route's path (so a route {@code http://app/authz} hands {@code /authz/check}
 * on as {@code /check}). The longest matching route wins. Redirects are not followed in-process; the handler's
 * answer is the response, whatever its status.
 */
public final class InProcessHttpClient extends HttpClient {

  private record Route(String scheme, String host, int port, String path, HttpHandler handler) {
    boolean matches(URI uri) {
      return scheme.equalsIgnoreCase(uri.getScheme()) && host.equalsIgnoreCase(uri.getHost())
          && port == InProcessHttpClient.port(uri) && below(rawPath(uri), path);
    }
  }

  private final HttpClient fallback;
  private final List<Route> routes;

  private InProcessHttpClient(HttpClient fallback, List<Route> routes) {
    this.fallback = fallback;
    this.routes = routes.stream()
        .sorted((a, b) -> Integer.compare(b.path().length(), a.path().length())).toList();
  }

  /** A client that sends unrouted requests through {@code fallback} (which also supplies its settings). */
  public static Builder builder(HttpClient fallback) {
    return new Builder(fallback);
  }

  /** Routes for the client. */
  public static final class Builder {
    private final HttpClient fallback;
    private final List<Route> routes = new ArrayList<>();

    private Builder(HttpClient fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    /**
     * Answers requests to {@code base} (scheme, host, optional port and path prefix; no query) with {@code handler}.
     */
    public Builder route(URI base, HttpHandler handler) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(handler, "handler");
      if (base.getScheme() == null || base.getHost() == null || base.getRawQuery() != null
          || base.getRawFragment() != null) {
        throw new IllegalArgumentException("a route needs a scheme and a host, and no query or fragment: " + base);
      }
      String path = rawPath(base);
      if (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      routes.add(new Route(base.getScheme().toLowerCase(Locale.ROOT), base.getHost(), port(base), path, handler));
      return this;
    }

    public InProcessHttpClient build() {
      return new InProcessHttpClient(fallback, List.copyOf(routes));
    }
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler)
      throws IOException, InterruptedException {
    Optional<Route> route = route(request.uri());
    if (route.isEmpty()) {
      return fallback.send(request, bodyHandler);
    }
    return dispatch(route.get(), request, bodyHandler);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> bodyHandler) {
    Optional<Route> route = route(request.uri());
    if (route.isEmpty()) {
      return fallback.sendAsync(request, bodyHandler);
    }
    try {
      return CompletableFuture.completedFuture(dispatch(route.get(), request, bodyHandler));
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
      HttpResponse.BodyHandler<T> bodyHandler, HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    // an in-process answer never pushes; a real one may
    return route(request.uri()).isEmpty() ? fallback.sendAsync(request, bodyHandler, pushPromiseHandler)
        : sendAsync(request, bodyHandler);
  }

  private Optional<Route> route(URI uri) {
    for (Route r : routes) {
      if (r.matches(uri)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private <T> HttpResponse<T> dispatch(Route route, HttpRequest request, HttpResponse.BodyHandler<T> bodyHandler)
      throws IOException {
    URI uri = request.uri();
    String below = rawPath(uri).substring(route.path().length());
    io.ory4j.core.http.HttpRequest.Builder in = io.ory4j.core.http.HttpRequest.builder()
        .method(request.method()).scheme(uri.getScheme()).host(authority(uri))
        .path(below.isEmpty() ? "/" : below).rawQuery(uri.getRawQuery()).remoteAddress("127.0.0.1")
        .body(body(request));
    request.headers().map().forEach((name, values) -> values.forEach(v -> in.addHeader(name, v)));
    io.ory4j.core.http.HttpResponse out;
    try {
      out = route.handler().handle(in.build());
    } catch (RuntimeException e) {
      // a Router renders its errors itself; a bare handler's failure reaches the caller as a failed call
      throw new IOException("the in-process handler for " + uri + " failed: " + e.getMessage(), e);
    }
    byte[] bytes = out.body();
    if (out.stream().isPresent()) {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      out.stream().get().writeTo(buffer);
      bytes = buffer.toByteArray();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>(out.headers());
    headers.put("content-length", List.of(Integer.toString(bytes.length)));
    HttpHeaders responseHeaders = HttpHeaders.of(headers, (k, v) -> true);
    HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return out.status();
      }

      @Override
      public HttpHeaders headers() {
        return responseHeaders;
      }

      @Override
      public Version version() {
        return Version.HTTP_1_1;
      }
    };
    T body = deliver(bodyHandler.apply(info), bytes);
    return new InProcessResponse<>(out.status(), request, responseHeaders, body);
  }

  /** Feeds the whole body to the subscriber, honouring its demand, and waits for its value. */
  private static <T> T deliver(HttpResponse.BodySubscriber<T> subscriber, byte[] bytes) throws IOException {
    subscriber.onSubscribe(new Flow.Subscription() {
      private boolean done;

      @Override
      public synchronized void request(long n) {
        if (done || n <= 0) {
          return;
        }
        done = true;
        if (bytes.length > 0) {
          subscriber.onNext(List.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
        }
        subscriber.onComplete();
      }

      @Override
      public synchronized void cancel() {
        done = true;
      }
    });
    try {
      return subscriber.getBody().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading an in-process response", e);
    } catch (ExecutionException e) {
      throw new IOException("the response body could not be read", e.getCause());
    }
  }

  /** Collects a request's body from its publisher (ory4j's handlers publish synchronously). */
  private static byte[] body(HttpRequest request) throws IOException {
    Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
    if (publisher.isEmpty()) {
      return new byte[0];
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    publisher.get().subscribe(new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(ByteBuffer item) {
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }

      @Override
      public void onError(Throwable throwable) {
        done.completeExceptionally(throwable);
      }

      @Override
      public void onComplete() {
        done.complete(buffer.toByteArray());
      }
    });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while reading a request body", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io
          : new IOException("the request body could not be read", e.getCause());
    }
  }

  private static String rawPath(URI uri) {
    String p = uri.getRawPath();
    return p == null || p.isEmpty() ? "/" : p;
  }

  private static boolean below(String path, String prefix) {
    return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/");
  }

  private static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private static String authority(URI uri) {
    return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  private record InProcessResponse<T>(int statusCode, HttpRequest request, HttpHeaders headers, T body)
      implements HttpResponse<T> {
    @Override
    public Optional<HttpResponse<T>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return request.uri();
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }

  // Settings are the fallback client's.

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return fallback.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return fallback.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return fallback.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return fallback.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return fallback.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return fallback.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return fallback.authenticator();
  }

  @Override
  public Version version() {
    return fallback.version();
  }

  @Override
  public Optional<Executor> executor() {
    return fallback.executor();
  }
}
