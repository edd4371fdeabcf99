package io.ory4j.accessrules;

import org.jspecify.annotations.Nullable;

/**
 * Where the reverse proxy forwards a request that passed the rule.
 *
 * @param url the upstream URL, or null when the rule is only used for decisions
 * @param preserveHost keep the client's Host header instead of the upstream's
 * @param stripPath a path prefix removed before forwarding, or null
 */
public record Upstream(@Nullable String url, boolean preserveHost, @Nullable String stripPath) {
  /** No upstream. */
  public static Upstream none() {
    return new Upstream(null, false, null);
  }
}
