package io.ory4j.core.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A framework-neutral HTTP response: status, headers, and a body that is either bytes or a {@link StreamingBody}
 * (for proxied content). Immutable; built with {@link #builder(int)} or the helpers.
 */
public final class HttpResponse {

  /** A body written to the client's stream, for large or proxied content. */
  @FunctionalInterface
  public interface StreamingBody {
    void writeTo(OutputStream out) throws IOException;
  }

  private final int status;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final @Nullable StreamingBody stream;

  private HttpResponse(Builder b) {
    this.status = b.status;
    Map<String, List<String>> h = new LinkedHashMap<>();
    b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    this.headers = Collections.unmodifiableMap(h);
    this.body = b.body;
    this.stream = b.stream;
  }

  public static Builder builder(int status) {
    return new Builder(status);
  }

  /** A JSON response. */
  public static HttpResponse json(int status, byte[] json) {
    return builder(status).header("Content-Type", "application/json; charset=utf-8").body(json).build();
  }

  /** A 204 No Content. */
  public static HttpResponse noContent() {
    return builder(204).build();
  }

  /** A redirect (302 Found as Ory's servers send, or 303 See Other after a POST). */
  public static HttpResponse redirect(int status, String location) {
    if (status < 300 || status > 399) {
      throw new IllegalArgumentException("a redirect status is 3xx");
    }
    return builder(status).header("Location", location).build();
  }

  /** An HTML page, not cached and not to be framed (clickjacking); a caller may replace the CSP with a fuller one. */
  public static HttpResponse html(int status, String html) {
    return builder(status).header("Content-Type", "text/html; charset=utf-8").header("Cache-Control", "no-store")
        .header("X-Frame-Options", "DENY").header("Content-Security-Policy", "frame-ancestors 'none'")
        .body(html.getBytes(StandardCharsets.UTF_8)).build();
  }

  public int status() {
    return status;
  }

  /** Headers by name as set (adapters write them as given). */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, case-insensitive. */
  public Optional<String> header(String name) {
    return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream()).findFirst();
  }

  /** The body bytes; empty for a streaming body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The streaming body, if this response streams. */
  public Optional<StreamingBody> stream() {
    return Optional.ofNullable(stream);
  }

  /** A builder with this response's values. */
  public Builder toBuilder() {
    Builder b = new Builder(status);
    headers.forEach((k, v) -> v.forEach(x -> b.addHeader(k, x)));
    b.body = body;
    b.stream = stream;
    return b;
  }

  @Override
  public String toString() {
    return "HttpResponse[" + status + "]";
  }

  /** Builds an {@link HttpResponse}. */
  public static final class Builder {
    private int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private @Nullable StreamingBody stream;

    private Builder(int status) {
      status(status);
    }

    public Builder status(int v) {
      if (v < 100 || v > 599) {
        throw new IllegalArgumentException("not an HTTP status: " + v);
      }
      status = v;
      return this;
    }

    /** Sets a header, replacing earlier values of the same name (case-insensitive). */
    public Builder header(String name, String value) {
      headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
      return addHeader(name, value);
    }

    /** Adds a header value. */
    public Builder addHeader(String name, String value) {
      Objects.requireNonNull(value, "value");
      if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0 || value.indexOf('\n') >= 0
          || value.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("header names and values must not contain line breaks");
      }
      headers.computeIfAbsent(name, x -> new ArrayList<>()).add(value);
      return this;
    }

    /** Adds a {@code Set-Cookie} header. */
    public Builder cookie(Cookie cookie) {
      return addHeader("Set-Cookie", cookie.toHeaderValue());
    }

    public Builder body(byte[] v) {
      body = Objects.requireNonNull(v, "body").clone();
      stream = null;
      return this;
    }

    public Builder body(String v) {
      return body(v.getBytes(StandardCharsets.UTF_8));
    }

    public Builder stream(StreamingBody v) {
      stream = Objects.requireNonNull(v, "stream");
      body = new byte[0];
      return this;
    }

    public HttpResponse build() {
      return new HttpResponse(this);
    }
  }
}
