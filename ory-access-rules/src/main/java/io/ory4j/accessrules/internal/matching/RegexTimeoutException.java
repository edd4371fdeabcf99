package io.ory4j.accessrules.internal.matching;

/**
 * A lookaround pattern (on java.util.regex) was stopped: it ran past its deadline, or its backtracking ran out of
 * stack on a long input. Either way the match fails closed.
 */
public final class RegexTimeoutException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegexTimeoutException(String pattern) {
    this(pattern, "ran past its matching deadline");
  }

  public RegexTimeoutException(String pattern, String what) {
    super("the pattern " + pattern + " " + what, null, false, false);
  }
}
