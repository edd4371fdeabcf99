package io.ory4j.oauth2.internal;

import io.ory4j.oauth2.spi.DocumentFetcher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The default {@link DocumentFetcher}: a GET with 5-second timeouts, no redirects, at most 5 MiB read (as Hydra). */
public final class HttpDocumentFetcher implements DocumentFetcher {

  private static final int MAX_BYTES = 5 << 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final LazyHttpClient http = new LazyHttpClient(TIMEOUT);

  @Override
  public Document fetch(URI uri) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> res = http.get().send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = res.body()) {
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
          throw new IOException("the document is larger than " + MAX_BYTES + " bytes");
        }
        return new Document(res.statusCode(), new String(body, StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
