package io.ory4j.core.storage;

import io.ory4j.core.error.OryException;
import org.jspecify.annotations.Nullable;

/**
 * A request for one page of a list, in Ory's token pagination: {@code page_size} and an opaque {@code page_token}
 * taken from the previous page's {@code Link} header.
 *
 * @param pageSize how many items at most
 * @param pageToken the opaque position to continue from, or null for the first page
 */
public record PageRequest(int pageSize, @Nullable String pageToken) {

  /** Ory's default page size. */
  public static final int DEFAULT_SIZE = 250;
  /** The largest page size accepted; a larger request is clamped, as Ory's keyset paginator does. */
  public static final int MAX_SIZE = 1000;

  public PageRequest {
    if (pageSize < 1) {
      throw OryException.invalidField("page_size", "must be at least 1, was " + pageSize);
    }
    pageSize = Math.min(pageSize, MAX_SIZE);
    if (pageToken != null && pageToken.isEmpty()) {
      pageToken = null;
    }
  }

  /** The first page with the default size. */
  public static PageRequest first() {
    return new PageRequest(DEFAULT_SIZE, null);
  }

  /** The first page of {@code size}. */
  public static PageRequest first(int size) {
    return new PageRequest(size, null);
  }

  /**
   * Parses the query parameters; absent values take the defaults, and a size that is not a number is a 400 error
   * naming {@code page_size}.
   */
  public static PageRequest parse(@Nullable String pageSize, @Nullable String pageToken) {
    int size = DEFAULT_SIZE;
    if (pageSize != null && !pageSize.isEmpty()) {
      try {
        size = Integer.parseInt(pageSize);
      } catch (NumberFormatException e) {
        throw OryException.invalidField("page_size", "must be a number, was \"" + pageSize + "\"");
      }
    }
    return new PageRequest(size, pageToken);
  }
}
