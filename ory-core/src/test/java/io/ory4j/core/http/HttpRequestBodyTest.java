package io.ory4j.core.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpRequestBodyTest {

  @Test
  void bodyStreamWhenBufferedThenReadsTheBytes() throws Exception {
    HttpRequest r = HttpRequest.builder().body("abc").build();
    assertFalse(r.streamingBody());
    assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), r.bodyStream().readAllBytes());
    assertEquals("abc", r.bodyText());
  }

  @Test
  void bodyStreamWhenStreamedThenOpenedLazilyAndBodyEmpty() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    HttpRequest r = HttpRequest.builder().method("PUT").bodyStream(() -> {
      opened.incrementAndGet();
      return new ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8));
    }).build();
    assertTrue(r.streamingBody());
    assertEquals(0, r.bodyLength());
    assertEquals(0, r.body().length);
    assertTrue(r.form().isEmpty());
    HttpRequest copy = r.toBuilder().header("X-A", "1").build();
    assertEquals(0, opened.get());
    assertTrue(copy.streamingBody());
    assertEquals("streamed", new String(copy.bodyStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(1, opened.get());
  }
}
