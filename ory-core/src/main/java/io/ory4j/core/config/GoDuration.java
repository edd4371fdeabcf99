package io.ory4j.core.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and formats durations as Go's {@code time.ParseDuration} writes them ({@code 1h30m}, {@code 500ms}). */
public final class GoDuration {
  private GoDuration() {}

  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

  /**
   * Parses a Go duration such as {@code 1h}, {@code 30m}, {@code 1h30m}, {@code 1.5s}, {@code 100ms}; {@code 0} is
   * zero.
   *
   * @throws IllegalArgumentException naming the value
   */
  public static Duration parse(String s) {
    String v = s.trim();
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    boolean negative = v.startsWith("-");
    if (negative || v.startsWith("+")) {
      v = v.substring(1);
    }
    Matcher m = PART.matcher(v);
    int pos = 0;
    double nanos = 0;
    while (m.find()) {
      if (m.start() != pos) {
        break;
      }
      double n = Double.parseDouble(m.group(1));
      nanos += n * switch (m.group(2)) {
        case "ns" -> 1d;
        case "us", "µs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        default -> 3600e9;
      };
      pos = m.end();
    }
    if (pos != v.length() || v.isEmpty()) {
      throw new IllegalArgumentException("\"" + s + "\" is not a duration (use Go's form, such as 30s, 15m or 1h)");
    }
    Duration d = Duration.ofNanos((long) nanos);
    return negative ? d.negated() : d;
  }

  /** Formats as Go does, for example {@code 1h0m0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder sb = new StringBuilder();
    if (d.isNegative()) {
      sb.append('-');
      d = d.negated();
    }
    long h = d.toHours();
    long m = d.toMinutesPart();
    double s = d.toSecondsPart() + d.toNanosPart() / 1e9;
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    String sec = s == Math.floor(s) ? Long.toString((long) s) : Double.toString(s);
    return sb.append(sec).append('s').toString();
  }
}
