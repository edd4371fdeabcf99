package io.ory4j.accessrules.internal.matching;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A pattern run on RE2/J: linear time, no lookaround. */
final class Re2Pattern extends UrlPattern {
  private final Pattern pattern;
  private final boolean capture;

  Re2Pattern(String source, List<String> prefixes, Pattern pattern, boolean capture) {
    super(source, prefixes);
    this.pattern = pattern;
    this.capture = capture;
  }

  @Override
  public @Nullable List<String> match(String url) {
    Matcher m = pattern.matcher(url);
    if (!m.matches()) {
      return null;
    }
    if (!capture) {
      return List.of();
    }
    List<String> groups = new ArrayList<>(m.groupCount());
    for (int i = 1; i <= m.groupCount(); i++) {
      String g = m.group(i);
      groups.add(g == null ? "" : g);
    }
    return groups;
  }

  @Override
  public boolean matches(String url) {
    return pattern.matcher(url).matches();
  }

  @Override
  public String engine() {
    return "re2j";
  }
}
