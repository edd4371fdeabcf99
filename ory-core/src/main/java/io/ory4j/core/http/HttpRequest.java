package io.ory4j.core.http;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A framework-neutral HTTP request: what every ory4j handler reads. Immutable; adapters (servlet, tests) build it
 * with {@link #builder()}. Header names are case-insensitive. The form is parsed from an
 * {@code application/x-www-form-urlencoded} body on first use.
 *
 * <p>The body is either buffered ({@link #body()}, what every handler reads by default) or, when an adapter was
 * asked to stream it, left unread on the wire and exposed once through {@link #bodyStream()}: then {@link #body()}
 * is empty and only a handler that opts in (such as a reverse proxy) reads it.
 */
public final class HttpRequest {

  private final String method;
  private final String scheme;
  private final String host;
  private final String path;
  private final @Nullable String rawQuery;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final Map<String, String> cookies;
  private final byte[] body;
  private final @Nullable Supplier<InputStream> bodyStream;
  private final String remoteAddress;
  private final Map<String, String> pathParams;
  private final Map<String, Object> attributes;
  private volatile @Nullable Map<String, List<String>> form;

  private HttpRequest(Builder b) {
    this.method = b.method.toUpperCase(Locale.ROOT);
    this.scheme = b.scheme;
    this.host = b.host;
    this.path = b.path;
    this.rawQuery = b.rawQuery;
    this.query = parseQuery(b.rawQuery);
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    b.headers.forEach((k, v) -> h.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    h.replaceAll((k, v) -> List.copyOf(v));
    this.headers = Collections.unmodifiableMap(h);
    this.cookies = Map.copyOf(b.cookies);
    this.body = b.body;
    this.bodyStream = b.bodyStream;
    this.remoteAddress = b.remoteAddress;
    this.pathParams = Map.copyOf(b.pathParams);
    this.attributes = Map.copyOf(b.attributes);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this request's values. */
  public Builder toBuilder() {
    Builder b = new Builder().method(method).scheme(scheme).host(host).path(path).rawQuery(rawQuery).body(body)
        .remoteAddress(remoteAddress);
    b.bodyStream = bodyStream;
    headers.forEach((k, v) -> v.forEach(x -> b.addHeader(k, x)));
    cookies.forEach(b::cookie);
    b.pathParams.putAll(pathParams);
    b.attributes.putAll(attributes);
    return b;
  }

  /** The method, upper-case. */
  public String method() {
    return method;
  }

  /** {@code http} or {@code https}, as the adapter (or a trusted proxy) saw it. */
  public String scheme() {
    return scheme;
  }

  /** The host, with the port when it is not the scheme's default. */
  public String host() {
    return host;
  }

  /** The decoded path, without the query. */
  public String path() {
    return path;
  }

  /** The raw query string, without the {@code ?}. */
  public @Nullable String rawQuery() {
    return rawQuery;
  }

  /** All query parameters. */
  public Map<String, List<String>> query() {
    return query;
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** All headers, case-insensitive. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header. */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** The cookies by name. */
  public Map<String, String> cookies() {
    return cookies;
  }

  public Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name));
  }

  /**
   * Whether the body was left on the wire by the adapter (see {@link #bodyStream()}); then {@link #body()} is
   * empty.
   */
  public boolean streamingBody() {
    return bodyStream != null;
  }

  /**
   * The body as a stream: the adapter's unread input stream when the body is streamed (it can be read once, and
   * only while the request is being handled), else the buffered bytes.
   */
  public InputStream bodyStream() {
    Supplier<InputStream> s = bodyStream;
    return s != null ? s.get() : new ByteArrayInputStream(body);
  }

  /** The body bytes (empty when there is none, or when the body is streamed: see {@link #bodyStream()}). */
  public byte[] body() {
    return body.clone();
  }

  /** The body length. */
  public int bodyLength() {
    return body.length;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The media type of the body, lower-case, without parameters. */
  public Optional<String> contentType() {
    return header("Content-Type").map(v -> v.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
  }

  /** The form parameters of an {@code application/x-www-form-urlencoded} body; empty for any other body. */
  public Map<String, List<String>> form() {
    Map<String, List<String>> f = form;
    if (f == null) {
      f = contentType().filter("application/x-www-form-urlencoded"::equals).isPresent()
          ? parseQuery(bodyText()) : Map.of();
      form = f;
    }
    return f;
  }

  /** The first value of a form parameter. */
  public Optional<String> formParam(String name) {
    List<String> v = form().get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /** The client's address, as the adapter (or a trusted proxy) saw it. */
  public String remoteAddress() {
    return remoteAddress;
  }

  /** A path parameter bound by the {@link Router}. */
  public Optional<String> pathParam(String name) {
    return Optional.ofNullable(pathParams.get(name));
  }

  /** All path parameters. */
  public Map<String, String> pathParams() {
    return pathParams;
  }

  /** Adapter-specific extras, such as the client certificate chain under {@code "tls.client_certificates"}. */
  public Optional<Object> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** The request id from {@code X-Request-Id}, if the request carries one. */
  public Optional<String> requestId() {
    return header("X-Request-Id");
  }

  /** The URL without the query: scheme, host and path. */
  public String baseUrl() {
    return scheme + "://" + host + path;
  }

  /** The full URL, with the query. */
  public String url() {
    return rawQuery == null || rawQuery.isEmpty() ? baseUrl() : baseUrl() + "?" + rawQuery;
  }

  HttpRequest withPathParams(Map<String, String> params) {
    Builder b = toBuilder();
    b.pathParams.clear();
    b.pathParams.putAll(params);
    return b.build();
  }

  /** Parses {@code a=1&b=2} into a multimap, decoding {@code +} and percent escapes. */
  public static Map<String, List<String>> parseQuery(@Nullable String q) {
    if (q == null || q.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int i = pair.indexOf('=');
      String k = decode(i < 0 ? pair : pair.substring(0, i));
      String v = i < 0 ? "" : decode(pair.substring(i + 1));
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  @Override
  public String toString() {
    return method + " " + path;
  }

  /** Builds a {@link HttpRequest}. */
  public static final class Builder {
    private String method = "GET";
    private String scheme = "http";
    private String host = "localhost";
    private String path = "/";
    private @Nullable String rawQuery;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private @Nullable Supplier<InputStream> bodyStream;
    private String remoteAddress = "127.0.0.1";
    private final Map<String, String> pathParams = new LinkedHashMap<>();
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    public Builder method(String v) {
      method = Objects.requireNonNull(v, "method");
      return this;
    }

    public Builder scheme(String v) {
      scheme = Objects.requireNonNull(v, "scheme");
      return this;
    }

    public Builder host(String v) {
      host = Objects.requireNonNull(v, "host");
      return this;
    }

    public Builder path(String v) {
      path = Objects.requireNonNull(v, "path").isEmpty() ? "/" : v;
      return this;
    }

    public Builder rawQuery(@Nullable String v) {
      rawQuery = v;
      return this;
    }

    /** Sets the path and query from a target such as {@code /a/b?x=1}. */
    public Builder target(String target) {
      int i = target.indexOf('?');
      path(i < 0 ? target : target.substring(0, i));
      rawQuery(i < 0 ? null : target.substring(i + 1));
      return this;
    }

    public Builder addHeader(String name, String value) {
      headers.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
      if ("Cookie".equalsIgnoreCase(name)) {
        for (String c : value.split(";")) {
          int i = c.indexOf('=');
          if (i > 0) {
            cookies.putIfAbsent(c.substring(0, i).trim(), c.substring(i + 1).trim());
          }
        }
      }
      return this;
    }

    public Builder header(String name, String value) {
      headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      return addHeader(name, value);
    }

    public Builder cookie(String name, String value) {
      cookies.put(name, value);
      return this;
    }

    public Builder body(byte[] v) {
      body = Objects.requireNonNull(v, "body").clone();
      return this;
    }

    /**
     * A streamed body: the supplier opens the adapter's input stream lazily, when a handler asks for
     * {@link HttpRequest#bodyStream()}; {@link HttpRequest#body()} stays as set (empty by default).
     */
    public Builder bodyStream(Supplier<InputStream> v) {
      bodyStream = Objects.requireNonNull(v, "bodyStream");
      return this;
    }

    public Builder body(String v) {
      return body(v.getBytes(StandardCharsets.UTF_8));
    }

    public Builder remoteAddress(String v) {
      remoteAddress = Objects.requireNonNull(v, "remoteAddress");
      return this;
    }

    public Builder attribute(String name, Object value) {
      attributes.put(name, value);
      return this;
    }

    public HttpRequest build() {
      return new HttpRequest(this);
    }
  }
}
