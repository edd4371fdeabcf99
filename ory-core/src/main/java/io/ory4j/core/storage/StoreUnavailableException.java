package io.ory4j.core.storage;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import org.jspecify.annotations.Nullable;

/** The store cannot be reached (connection refused, lost, timed out). Rendered as 503 so clients retry. */
public class StoreUnavailableException extends OryException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, @Nullable Throwable cause) {
    super(OryError.of(503, message).withReason("the storage backend is unavailable; retry later"), cause);
  }
}
