package io.ory4j.core.storage;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import org.jspecify.annotations.Nullable;

/** A write conflicts with an existing row (a unique key). Rendered as 409 Conflict. */
public class DuplicateException extends OryException {
  private static final long serialVersionUID = 1L;

  public DuplicateException(String message) {
    this(message, null);
  }

  public DuplicateException(String message, @Nullable Throwable cause) {
    super(OryError.of(409, message).withReason("Unable to insert or update resource because a resource with that "
        + "value exists already"), cause);
  }
}
