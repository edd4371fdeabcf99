package io.ory4j.accessrules.internal.handlers;

import io.ory4j.core.error.OryException;

/** Oathkeeper's pipeline errors, in Ory's error format. */
public final class Errors {
  private Errors() {}

  /** helper.ErrUnauthorized. */
  public static OryException unauthorized(String reason) {
    return OryException.unauthorized("Access credentials are invalid").withReason(reason);
  }

  /** helper.ErrForbidden. */
  public static OryException forbidden(String reason) {
    return OryException.forbidden("Access credentials are not sufficient to access this resource")
        .withReason(reason);
  }

  /** An upstream/remote failure: Oathkeeper answers these with 500. */
  public static OryException internal(String reason) {
    return OryException.internal("An internal server error occurred, please contact the system administrator")
        .withReason(reason);
  }
}
