package io.ory4j.accessrules.internal.matching;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The string a rule pattern is matched against, as Oathkeeper builds it: {@code scheme://host/path}, never the
 * query. The path is cleaned first (duplicate slashes folded, {@code .} and {@code ..} segments resolved, a trailing
 * slash kept) so {@code /public/../admin} cannot slip past a rule written for {@code /admin}.
 */
public final class MatchUrl {
  private MatchUrl() {}

  public static String of(String scheme, String host, String path) {
    return scheme.toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT) + cleanPath(path);
  }

  /** Cleans a decoded path. */
  public static String cleanPath(String path) {
    if (path.isEmpty()) {
      return "/";
    }
    boolean trailing = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
    Deque<String> out = new ArrayDeque<>();
    for (String seg : path.split("/")) {
      if (seg.isEmpty() || seg.equals(".")) {
        continue;
      }
      if (seg.equals("..")) {
        out.pollLast();
      } else {
        out.addLast(seg);
      }
    }
    if (out.isEmpty()) {
      return "/";
    }
    StringBuilder sb = new StringBuilder(path.length());
    for (String s : out) {
      sb.append('/').append(s);
    }
    if (trailing) {
      sb.append('/');
    }
    return sb.toString();
  }
}
