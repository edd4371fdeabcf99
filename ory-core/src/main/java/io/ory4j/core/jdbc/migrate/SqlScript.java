package io.ory4j.core.jdbc.migrate;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at semicolons, ignoring semicolons inside quoted strings, quoted identifiers
 * and comments ({@code --} to the end of the line, and block comments).
 */
public final class SqlScript {
  private SqlScript() {}

  /** The statements of {@code script}, trimmed, without empty ones. */
  public static List<String> split(String script) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    int n = script.length();
    char quote = 0;
    for (int i = 0; i < n; i++) {
      char ch = script.charAt(i);
      if (quote != 0) {
        current.append(ch);
        if (ch == quote) {
          if (i + 1 < n && script.charAt(i + 1) == quote) {
            current.append(script.charAt(++i));
          } else {
            quote = 0;
          }
        }
        continue;
      }
      if (ch == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        while (i < n && script.charAt(i) != '\n') {
          i++;
        }
        current.append('\n');
        continue;
      }
      if (ch == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 1;
        current.append(' ');
        continue;
      }
      if (ch == '\'' || ch == '"' || ch == '`') {
        quote = ch;
        current.append(ch);
        continue;
      }
      if (ch == ';') {
        add(out, current);
        current.setLength(0);
        continue;
      }
      current.append(ch);
    }
    add(out, current);
    return out;
  }

  private static void add(List<String> out, StringBuilder sb) {
    String s = sb.toString().trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
  }
}
