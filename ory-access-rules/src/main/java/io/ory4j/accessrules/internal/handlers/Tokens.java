package io.ory4j.accessrules.internal.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.accessrules.spi.HandlerConfig;
import io.ory4j.core.http.HttpRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Oathkeeper's {@code token_from}: the Authorization bearer token by default, or a header, query parameter or cookie. */
record Tokens(@Nullable String header, @Nullable String query, @Nullable String cookie) {

  static Tokens from(HandlerConfig c) {
    JsonNode n = c.get("token_from");
    if (n == null) {
      return new Tokens(null, null, null);
    }
    HandlerConfig t = c.object("token_from");
    String h = t.string("header", null);
    String q = t.string("query_parameter", null);
    String k = t.string("cookie", null);
    int set = (h == null ? 0 : 1) + (q == null ? 0 : 1) + (k == null ? 0 : 1);
    if (set != 1) {
      throw c.invalid("token_from", "must set exactly one of header, query_parameter, cookie");
    }
    return new Tokens(h, q, k);
  }

  @Nullable String extract(HttpRequest r) {
    if (query != null) {
      return r.queryParam(query).filter(s -> !s.isEmpty()).orElse(null);
    }
    if (cookie != null) {
      return r.cookie(cookie).filter(s -> !s.isEmpty()).orElse(null);
    }
    if (header != null && !header.equalsIgnoreCase("Authorization")) {
      return r.header(header).filter(s -> !s.isEmpty()).orElse(null);
    }
    String auth = r.header("Authorization").orElse("");
    String[] parts = auth.split(" ", 2);
    if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
      return null;
    }
    return parts[1];
  }
}
