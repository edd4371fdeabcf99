package io.ory4j.policy.acp.internal;

/** A pattern that does not compile in its flavor. */
public final class InvalidPatternException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidPatternException(String message) {
    super(message, null, false, false);
  }
}
