package io.ory4j.servlet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever part of the body an interceptor reads, and however the endpoint then reads it (byte by byte or in chunks
 * of any size), the endpoint gets exactly the bytes the client sent.
 */
class ReplayableBodyProperties {

  static HttpServletRequest request(byte[] body) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    ServletInputStream servlet = new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return in.read(b, off, len);
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener l) {
        throw new UnsupportedOperationException();
      }
    };
    HttpServletRequest req = mock(HttpServletRequest.class);
    when(req.getInputStream()).thenReturn(servlet);
    return req;
  }

  static byte[] readAll(InputStream in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (chunk == 0) {
      for (int b; (b = in.read()) >= 0; ) {
        out.write(b);
      }
      return out.toByteArray();
    }
    byte[] buf = new byte[chunk];
    for (int n; (n = in.read(buf, 0, chunk)) >= 0; ) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Property(tries = 2000)
  void wrapWhenInterceptorReadsAnyPartThenEndpointGetsTheWholeBody(@ForAll @Size(max = 3000) byte[] body,
      @ForAll @IntRange(min = -1, max = 3100) int interceptorReads, @ForAll @IntRange(max = 700) int chunk)
      throws IOException {
    HttpServletRequest req = request(body);
    ReplayableBody replay = new ReplayableBody(req);
    if (interceptorReads >= 0) { // -1: the interceptor never opens the body
      replay.open().readNBytes(interceptorReads);
    }
    assertArrayEquals(body, readAll(replay.wrap(req).getInputStream(), chunk));
  }
}
