package io.ory4j.accessrules.internal.matching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A pattern that needs what RE2/J lacks (lookaround, backreferences), run on java.util.regex under a deadline so a
 * catastrophic pattern cannot stall a request: past the deadline the match fails with
 * {@link RegexTimeoutException}.
 */
final class JdkPattern extends UrlPattern {
  private final Pattern pattern;
  private final long deadlineNanos;

  JdkPattern(String source, List<String> prefixes, Pattern pattern, Duration deadline) {
    super(source, prefixes);
    this.pattern = pattern;
    this.deadlineNanos = deadline.toNanos();
  }

  @Override
  public @Nullable List<String> match(String url) {
    Matcher m = pattern.matcher(new DeadlineCharSequence(url, System.nanoTime() + deadlineNanos, source()));
    try {
      if (!m.matches()) {
        return null;
      }
    } catch (StackOverflowError e) {
      // java.util.regex recurses per repetition of a group with alternation: a long URL exhausts the stack (found
      // by HostilePatternProperties). The stack has unwound here; fail this match closed like a timeout.
      throw new RegexTimeoutException(source(), "ran out of stack on a " + url.length() + "-character URL");
    }
    List<String> groups = new ArrayList<>(m.groupCount());
    for (int i = 1; i <= m.groupCount(); i++) {
      String g = m.group(i);
      groups.add(g == null ? "" : g);
    }
    return groups;
  }

  @Override
  public String engine() {
    return "jdk";
  }

  /** A CharSequence that fails once the deadline has passed: the regex engine reads it on every step. */
  private record DeadlineCharSequence(String s, long deadline, String pattern) implements CharSequence {
    @Override
    public char charAt(int index) {
      if (System.nanoTime() - deadline > 0) {
        throw new RegexTimeoutException(pattern);
      }
      return s.charAt(index);
    }

    @Override
    public int length() {
      return s.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new DeadlineCharSequence(s.substring(start, end), deadline, pattern);
    }

    @Override
    public String toString() {
      return s;
    }
  }
}
