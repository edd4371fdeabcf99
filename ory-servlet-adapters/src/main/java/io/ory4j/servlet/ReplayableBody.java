package io.ory4j.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request body as an interceptor may read it without taking it from the host's endpoint: {@link #open()} gives
 * the interceptor a stream over the servlet input that records what it reads, and {@link #wrap} gives the chain a
 * request whose input stream (and reader, and form parameters) replays those bytes, then continues with whatever
 * the interceptor left unread. An interceptor that never opens the body leaves the request untouched (streaming).
 */
final class ReplayableBody {

  private final HttpServletRequest request;
  private final ByteArrayOutputStream read = new ByteArrayOutputStream();
  private boolean opened;
  private boolean finished;

  ReplayableBody(HttpServletRequest request) {
    this.request = request;
  }

  /** The recording stream over the servlet input (for {@code HttpRequest.bodyStream()}). */
  InputStream open() {
    opened = true;
    InputStream in;
    try {
      in = request.getInputStream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new InputStream() {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
          finished = true;
        } else {
          read.write(b);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = in.read(buf, off, len);
        if (n < 0) {
          finished = true;
        } else {
          read.write(buf, off, n);
        }
        return n;
      }

      @Override
      public void close() {
        // the servlet container owns the input stream; the chain may still read the rest
      }
    };
  }

  /** Whether the interceptor read (part of) the body. */
  boolean consumed() {
    return opened;
  }

  /** The request for the chain: unchanged when the body was not read, else replaying it. */
  HttpServletRequest wrap(HttpServletRequest req) {
    return opened ? new Replayed(req, read.toByteArray(), finished) : req;
  }

  /** A request whose body starts with the bytes the interceptor read. */
  private static final class Replayed extends HttpServletRequestWrapper {
    private final byte[] prefix;
    private final boolean complete;
    private ServletInputStream stream;
    private BufferedReader reader;
    private Map<String, String[]> params;

    Replayed(HttpServletRequest req, byte[] prefix, boolean complete) {
      super(req);
      this.prefix = prefix;
      this.complete = complete;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (reader != null) {
        throw new IllegalStateException("getReader() has already been called for this request");
      }
      if (stream == null) {
        stream = new PrefixStream(prefix, complete, complete ? null : super.getInputStream());
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      if (stream != null && reader == null) {
        throw new IllegalStateException("getInputStream() has already been called for this request");
      }
      if (reader == null) {
        String enc = getCharacterEncoding();
        Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
        reader = new BufferedReader(new InputStreamReader(new PrefixStream(prefix, complete,
            complete ? null : super.getInputStream()), cs));
      }
      return reader;
    }

    // The container parses form parameters from its own input stream, which the interceptor has read: parse them
    // from the replayed body instead (query parameters first, as the Servlet spec orders them).
    private Map<String, String[]> params() {
      if (params != null) {
        return params;
      }
      String type = getContentType();
      boolean form = type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
      if (!form || !complete) {
        params = null;
        return null;
      }
      Map<String, List<String>> merged = new LinkedHashMap<>();
      String enc = getCharacterEncoding();
      Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc);
      add(merged, getQueryString(), StandardCharsets.UTF_8);
      add(merged, new String(prefix, cs), cs);
      Map<String, String[]> out = new LinkedHashMap<>();
      merged.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
      params = Collections.unmodifiableMap(out);
      return params;
    }

    private static void add(Map<String, List<String>> into, String encoded, Charset cs) {
      if (encoded == null || encoded.isEmpty()) {
        return;
      }
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int i = pair.indexOf('=');
        String k = decode(i < 0 ? pair : pair.substring(0, i), cs);
        String v = i < 0 ? "" : decode(pair.substring(i + 1), cs);
        into.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
      }
    }

    private static String decode(String s, Charset cs) {
      try {
        return java.net.URLDecoder.decode(s, cs);
      } catch (IllegalArgumentException e) {
        return s;
      }
    }

    @Override
    public String getParameter(String name) {
      Map<String, String[]> p = params();
      if (p == null) {
        return super.getParameter(name);
      }
      String[] v = p.get(name);
      return v == null || v.length == 0 ? null : v[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      Map<String, String[]> p = params();
      return p == null ? super.getParameterMap() : p;
    }

    @Override
    public Enumeration<String> getParameterNames() {
      Map<String, String[]> p = params();
      return p == null ? super.getParameterNames() : Collections.enumeration(p.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
      Map<String, String[]> p = params();
      if (p == null) {
        return super.getParameterValues(name);
      }
      String[] v = p.get(name);
      return v == null ? null : v.clone();
    }
  }

  /** The recorded bytes, then (when the interceptor stopped early) the rest of the container's stream. */
  private static final class PrefixStream extends ServletInputStream {
    private final byte[] prefix;
    private final boolean complete;
    private final ServletInputStream rest;
    private int pos;
    private boolean eof;

    PrefixStream(byte[] prefix, boolean complete, ServletInputStream rest) {
      this.prefix = prefix;
      this.complete = complete;
      this.rest = rest;
    }

    @Override
    public int read() throws IOException {
      if (pos < prefix.length) {
        return prefix[pos++] & 0xff;
      }
      if (complete) {
        eof = true;
        return -1;
      }
      int b = rest.read();
      eof = b < 0;
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (pos < prefix.length) {
        int n = Math.min(len, prefix.length - pos);
        System.arraycopy(prefix, pos, buf, off, n);
        pos += n;
        return n;
      }
      if (complete) {
        eof = true;
        return -1;
      }
      int n = rest.read(buf, off, len);
      eof = n < 0;
      return n;
    }

    @Override
    public int available() throws IOException {
      return prefix.length - pos + (complete ? 0 : rest.available());
    }

    @Override
    public boolean isFinished() {
      return pos >= prefix.length && (complete ? true : rest.isFinished()) || eof;
    }

    @Override
    public boolean isReady() {
      return pos < prefix.length || complete || rest.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      if (!complete) {
        throw new IllegalStateException("The body was partly read by the access rules; read it synchronously");
      }
      try {
        if (pos < prefix.length) {
          listener.onDataAvailable();
        }
        listener.onAllDataRead();
      } catch (IOException e) {
        listener.onError(e);
      }
    }
  }
}
