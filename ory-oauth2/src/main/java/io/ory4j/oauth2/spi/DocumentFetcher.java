package io.ory4j.oauth2.spi;

import java.io.IOException;
import java.net.URI;

/**
 * Fetches a document a client registered by URL: a {@code sector_identifier_uri} (checked when the client is created
 * or updated) or a {@code request_uri} (read during an authorization request). The default is an HTTP GET with short
 * timeouts and a size bound; replace it to add an egress proxy, an allow-list or a cache.
 */
@FunctionalInterface
public interface DocumentFetcher {

  /** GETs {@code uri}; an {@link IOException} when it cannot be reached or the body is too large. */
  Document fetch(URI uri) throws IOException;

  /** A fetched document: the HTTP status and the body as text. */
  record Document(int status, String body) {}
}
