package io.ory4j.servlet;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Converts between the servlet API and the ory4j HTTP model. */
final class ServletBridge {

  private ServletBridge() {}

  /** Reads a servlet request into an {@link HttpRequest}; a body over {@code maxBody} bytes is a 413. */
  static HttpRequest toRequest(HttpServletRequest req, int maxBody, boolean readBody) throws IOException {
    return toRequest(req, maxBody, readBody, true);
  }

  /**
   * Reads a servlet request. With {@code pathInMapping} the path is the one inside the servlet's prefix mapping (a
   * servlet mapped at {@code /admin/*} sees {@code /clients} for {@code /admin/clients}); otherwise it is the full
   * path inside the context, as a filter must match it.
   */
  static HttpRequest toRequest(HttpServletRequest req, int maxBody, boolean readBody, boolean pathInMapping)
      throws IOException {
    return toRequest(req, maxBody, readBody, pathInMapping, false);
  }

  /**
   * Reads a servlet request; with {@code streamBody} the body is not read but handed through, lazily, as
   * {@link HttpRequest#bodyStream()} (no size limit: the handler reads it as it forwards it).
   */
  static HttpRequest toRequest(HttpServletRequest req, int maxBody, boolean readBody, boolean pathInMapping,
      boolean streamBody) throws IOException {
    return toRequest(req, maxBody, readBody && !streamBody, pathInMapping, !streamBody ? null : () -> {
      try {
        return req.getInputStream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Reads a servlet request; with a {@code bodyStream} the body is not read here but opened lazily through it,
   * as {@link HttpRequest#bodyStream()}.
   */
  static HttpRequest toRequest(HttpServletRequest req, int maxBody, boolean readBody, boolean pathInMapping,
      java.util.function.@org.jspecify.annotations.Nullable Supplier<InputStream> bodyStream) throws IOException {
    HttpRequest.Builder b = HttpRequest.builder()
        .method(req.getMethod())
        .scheme(req.getScheme())
        .host(hostOf(req))
        .path(pathInMapping ? pathOf(req) : contextPathOf(req))
        .rawQuery(req.getQueryString())
        .remoteAddress(req.getRemoteAddr() == null ? "" : req.getRemoteAddr());
    for (String name : Collections.list(req.getHeaderNames())) {
      for (String value : Collections.list(req.getHeaders(name))) {
        b.addHeader(name, value);
      }
    }
    Object certs = req.getAttribute("jakarta.servlet.request.X509Certificate");
    if (certs != null) {
      b.attribute("tls.client_certificates", certs);
    }
    if (bodyStream != null) {
      b.bodyStream(bodyStream);
    } else if (readBody) {
      b.body(readBody(req, maxBody));
    }
    return b.build();
  }

  private static String hostOf(HttpServletRequest req) {
    int port = req.getServerPort();
    boolean defaultPort = port <= 0 || ("http".equals(req.getScheme()) && port == 80)
        || ("https".equals(req.getScheme()) && port == 443);
    return defaultPort ? req.getServerName() : req.getServerName() + ":" + port;
  }

  /** The path inside the servlet mapping, decoded: the path info of a prefix mapping, else the servlet path. */
  private static String pathOf(HttpServletRequest req) {
    String path = req.getPathInfo() != null ? req.getPathInfo() : req.getServletPath();
    return path == null || path.isEmpty() ? "/" : path;
  }

  /** The path inside the application (without the context path), decoded. */
  private static String contextPathOf(HttpServletRequest req) {
    String servletPath = req.getServletPath() == null ? "" : req.getServletPath();
    String pathInfo = req.getPathInfo() == null ? "" : req.getPathInfo();
    String path = servletPath + pathInfo;
    return path.isEmpty() ? "/" : path;
  }

  private static byte[] readBody(HttpServletRequest req, int maxBody) throws IOException {
    long declared = req.getContentLengthLong();
    if (declared > maxBody) {
      throw OryException.of(413, "The request body is larger than " + maxBody + " bytes.");
    }
    try (InputStream in = req.getInputStream()) {
      byte[] body = in.readNBytes(maxBody + 1);
      if (body.length > maxBody) {
        throw OryException.of(413, "The request body is larger than " + maxBody + " bytes.");
      }
      return body;
    }
  }

  /**
   * How much more of a refused (413) body is read and dropped before the answer: a client still sending when the
   * server closes would otherwise get a TCP reset in place of the 413 (RFC 9112 §9.6, lingering close). Past this,
   * the connection is cut.
   */
  static final int DRAIN_AFTER_REFUSAL = 1 << 20;

  /** Writes {@code res}; after a 413 the unread rest of the request body (bounded) is read first and dropped. */
  static void write(HttpResponse res, HttpServletResponse out, HttpServletRequest req) throws IOException {
    if (res.status() == 413) {
      drain(req);
    }
    write(res, out);
  }

  private static void drain(HttpServletRequest req) {
    try {
      InputStream in = req.getInputStream();
      byte[] buf = new byte[8192];
      long left = DRAIN_AFTER_REFUSAL;
      int n;
      while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1) {
        left -= n;
      }
    } catch (IOException | IllegalStateException e) {
      // the client went away or the body was taken as a reader: the answer is still written, the connection closes
    }
  }

  /** Writes an {@link HttpResponse} to the servlet response. */
  static void write(HttpResponse res, HttpServletResponse out) throws IOException {
    out.setStatus(res.status());
    if (res.status() == 413) {
      // the body was refused unread: say the connection closes, so no client reuses it for its next request
      out.setHeader("Connection", "close");
    }
    for (Map.Entry<String, List<String>> h : res.headers().entrySet()) {
      boolean first = true;
      for (String v : h.getValue()) {
        if (first) {
          out.setHeader(h.getKey(), v);
          first = false;
        } else {
          out.addHeader(h.getKey(), v);
        }
      }
    }
    if (res.stream().isPresent()) {
      try (OutputStream os = out.getOutputStream()) {
        res.stream().get().writeTo(os);
      }
      return;
    }
    byte[] body = res.body();
    if (body.length > 0) {
      out.setContentLength(body.length);
      try (OutputStream os = out.getOutputStream()) {
        os.write(body);
      }
    }
  }
}
