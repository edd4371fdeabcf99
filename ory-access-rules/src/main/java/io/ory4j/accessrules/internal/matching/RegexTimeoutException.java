package io.ory4j.accessrules.internal.matching;

/** A lookaround pattern ran past its deadline. */
public final class RegexTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegexTimeoutException(String pattern) {
    super("the pattern " + pattern + " ran past its matching deadline", null, false, false);
  }
}
