package io.ory4j.core.jdbc.migrate;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;
import org.jspecify.annotations.Nullable;

/** A migration could not run, or the database schema does not fit this code. */
public class MigrationException extends OryException {
  private static final long serialVersionUID = 1L;

  public MigrationException(String message, @Nullable Throwable cause) {
    super(OryError.of(500, message).withReason("database migration"), cause);
  }
}
