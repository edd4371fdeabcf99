package io.ory4j.accessrules.http;

import io.ory4j.accessrules.AccessDecision;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.accessrules.Rule;
import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Oathkeeper's proxy: judges each request with the access rules and forwards an allowed one to the matched rule's
 * {@code upstream.url} (with {@code strip_path} removed from the path, the client's Host kept when
 * {@code preserve_host}), with the mutated headers, streaming the upstream's response back. An upstream that is
 * down answers 502 in Ory's error format.
 *
 * <p>Serve it with {@code OryServlet.streaming(proxy)} to stream request bodies too (no size limit, nothing held
 * in memory), except for a rule whose authorizer reads the body ({@code remote}): that body is buffered up to
 * {@code AccessRules.Builder.maxBufferedBody}, shown to the authorizer and forwarded as the same bytes. With a plain
 * {@code OryServlet} the body is buffered up to the servlet's limit and forwarded as bytes.
 *
 * <p>{@code preserve_host} needs the JVM flag {@code -Djdk.httpclient.allowRestrictedHeaders=host}: without it
 * java.net.http refuses to set {@code Host} and sends the upstream's own host (the client's host still travels
 * in {@code X-Forwarded-Host}).
 */
public final class ReverseProxy implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(ReverseProxy.class);
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

  private final AccessRules rules;
  private final HttpClient client;
  private final Duration timeout;
  private final OryErrorRenderer errors = new OryErrorRenderer(OryJson.create());
  private final java.util.concurrent.atomic.AtomicBoolean preserveHostWarned =
      new java.util.concurrent.atomic.AtomicBoolean();

  public ReverseProxy(AccessRules rules, HttpClient client, Duration timeout) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.client = Objects.requireNonNull(client, "client");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public HttpResponse handle(HttpRequest request) {
    AccessDecision d = rules.decide(request);
    if (d instanceof AccessDecision.Denied denied) {
      return denied.response();
    }
    AccessDecision.Allowed a = (AccessDecision.Allowed) d;
    Rule rule = a.rule();
    if (rule.upstream().url() == null || rule.upstream().url().isEmpty()) {
      return errors.render(OryException.internal("The matched rule has no upstream URL").withReason("rule "
          + rule.id() + " has no upstream.url"), request);
    }
    URI target = target(rule, request);
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(target).timeout(timeout)
        .method(request.method(), publisher(a.request()));
    for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
      if (HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT)) || a.headers().containsKey(h.getKey())) {
        continue;
      }
      h.getValue().forEach(v -> b.header(h.getKey(), v));
    }
    a.headers().forEach((k, vs) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT))) {
        vs.forEach(v -> b.header(k, v));
      }
    });
    b.header("X-Forwarded-Host", request.host());
    b.header("X-Forwarded-Proto", request.scheme());
    if (rule.upstream().preserveHost()) {
      try {
        b.header("Host", request.host());
      } catch (IllegalArgumentException restricted) {
        // java.net.http sets Host itself unless -Djdk.httpclient.allowRestrictedHeaders=host; the client's host
        // still travels in X-Forwarded-Host.
        if (preserveHostWarned.compareAndSet(false, true)) {
          log.warn("rule {} sets upstream.preserve_host, which needs the JVM flag "
              + "-Djdk.httpclient.allowRestrictedHeaders=host: the upstream gets its own host, and the client's in "
              + "X-Forwarded-Host (said once)", rule.id());
        }
      }
    }
    java.net.http.HttpResponse<InputStream> res;
    try {
      res = client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      return errors.render(OryException.of(504, "The upstream did not answer in time"), request);
    } catch (IOException e) {
      log.warn("rule {}: upstream {} is unreachable: {}", rule.id(), target.getHost(), e.getClass().getSimpleName());
      return errors.render(OryException.of(502, "The upstream is unreachable"), request);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return errors.render(OryException.unavailable("Interrupted"), request);
    }
    HttpResponse.Builder out = HttpResponse.builder(res.statusCode());
    res.headers().map().forEach((k, vs) -> {
      if (!HOP_BY_HOP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
        vs.forEach(v -> out.addHeader(k, v));
      }
    });
    InputStream body = res.body();
    return out.stream(os -> {
      try (InputStream in = body) {
        in.transferTo(os);
      }
    }).build();
  }

  /**
   * The upstream request body: the client's body streamed through when the adapter left it on the wire
   * ({@code OryServlet.streaming}), with its Content-Length when the client sent one (else chunked); the buffered
   * bytes otherwise.
   */
  static java.net.http.HttpRequest.BodyPublisher publisher(HttpRequest request) {
    if (!request.streamingBody() || request.bodyLength() > 0) { // buffered by the adapter, or for the authorizer
      return request.bodyLength() == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
          : java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.body());
    }
    long length = request.header("Content-Length").map(ReverseProxy::parseLength).orElse(-1L);
    boolean chunked = request.header("Transfer-Encoding").isPresent();
    if (length == 0 || (length < 0 && !chunked)) {
      return java.net.http.HttpRequest.BodyPublishers.noBody();
    }
    java.net.http.HttpRequest.BodyPublisher stream =
        java.net.http.HttpRequest.BodyPublishers.ofInputStream(request::bodyStream);
    return length > 0 ? java.net.http.HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
  }

  private static long parseLength(String v) {
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw OryException.badRequest("The Content-Length header is not a number.");
    }
  }

  /** The upstream URL: upstream.url's scheme, authority and path prefix + the request path minus strip_path. */
  static URI target(Rule rule, HttpRequest request) {
    URI up = URI.create(rule.upstream().url());
    // forward the cleaned path: what the rule judged is what the upstream gets
    String path = io.ory4j.accessrules.internal.matching.MatchUrl.cleanPath(request.path());
    String strip = rule.upstream().stripPath();
    if (strip != null && !strip.isEmpty() && path.startsWith(strip)) {
      path = path.substring(strip.length());
    }
    String base = up.getRawPath() == null ? "" : up.getRawPath().replaceAll("/+$", "");
    if (!path.startsWith("/")) {
      path = "/" + path;
    }
    String encoded = encodePath(path);
    String query = request.rawQuery();
    return URI.create(up.getScheme() + "://" + up.getRawAuthority() + base + encoded
        + (query == null || query.isEmpty() ? "" : "?" + query));
  }

  /** Percent-encodes a decoded path for a URI. */
  private static String encodePath(String path) {
    try {
      return new URI(null, null, path, null).getRawPath();
    } catch (java.net.URISyntaxException e) {
      throw OryException.badRequest("The request path cannot be forwarded.");
    }
  }
}
