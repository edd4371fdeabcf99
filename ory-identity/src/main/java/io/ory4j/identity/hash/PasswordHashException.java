package io.ory4j.identity.hash;

import io.ory4j.core.error.OryError;
import io.ory4j.core.error.OryException;

/** A stored or imported hash is malformed, uses an unknown algorithm, or has parameters beyond the bounds. */
public final class PasswordHashException extends OryException {
  private static final long serialVersionUID = 1L;

  public PasswordHashException(String reason) {
    super(OryError.of(400, "The password hash is invalid.").withReason(reason));
  }
}
