package io.ory4j.accessrules.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Oathkeeper's {@code AuthenticationSession}: the subject and extra data an authenticator found, the headers the
 * mutators set for the upstream, and the match context. One per request; handlers of the same request change it in
 * pipeline order, so it is mutable and not shared between threads.
 */
public final class AuthenticationSession {
  private String subject = "";
  private Map<String, Object> extra = new LinkedHashMap<>();
  private final Map<String, List<String>> header = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private MatchContext matchContext;

  public AuthenticationSession(MatchContext matchContext) {
    this.matchContext = Objects.requireNonNull(matchContext, "matchContext");
  }

  public String subject() {
    return subject;
  }

  public void subject(String v) {
    subject = v == null ? "" : v;
  }

  /** The extra data, as mutable JSON-like maps and lists. */
  public Map<String, Object> extra() {
    return extra;
  }

  public void extra(Map<String, Object> v) {
    extra = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>(v);
  }

  /** The headers set for the upstream so far. */
  public Map<String, List<String>> header() {
    return header;
  }

  /** Sets a header for the upstream, replacing earlier values. */
  public void setHeader(String name, String value) {
    List<String> v = new ArrayList<>(1);
    v.add(value);
    header.put(name, v);
  }

  public MatchContext matchContext() {
    return matchContext;
  }

  public void matchContext(MatchContext v) {
    matchContext = Objects.requireNonNull(v, "matchContext");
  }

  @Override
  public String toString() {
    return "AuthenticationSession[subject=" + subject + "]";
  }
}
