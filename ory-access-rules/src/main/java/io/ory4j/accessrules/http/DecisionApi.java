package io.ory4j.accessrules.http;

import io.ory4j.accessrules.AccessDecision;
import io.ory4j.accessrules.AccessRules;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Oathkeeper's decision API: {@code <any method> /decisions/<path>} judges the request described by
 * {@code X-Forwarded-Method}, {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Uri} (each
 * falling back to the request itself, the path with {@code /decisions} removed), and answers 200 with the mutated
 * headers as response headers, or the error handler's response.
 */
public final class DecisionApi {

  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD",
      "CONNECT", "TRACE");

  private final AccessRules rules;

  public DecisionApi(AccessRules rules) {
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** A router serving {@code /decisions} and {@code /decisions/...} for every method. */
  public Router router() {
    Router.Builder b = Router.builder(new OryErrorRenderer(OryJson.create()));
    for (String m : METHODS) {
      b.route(m, "/decisions", this::decide);
      b.route(m, "/decisions/{path...}", this::decide);
    }
    return b.build();
  }

  /** Judges one forwarded request. */
  public HttpResponse decide(HttpRequest request) {
    AccessDecision d = rules.decide(forwarded(request));
    if (d instanceof AccessDecision.Allowed a) {
      HttpResponse.Builder r = HttpResponse.builder(200);
      for (Map.Entry<String, List<String>> h : a.headers().entrySet()) {
        for (String v : h.getValue()) {
          r.addHeader(h.getKey(), v);
        }
      }
      return r.build();
    }
    return ((AccessDecision.Denied) d).response();
  }

  /** The request the proxy in front saw, rebuilt from the {@code X-Forwarded-*} headers. */
  static HttpRequest forwarded(HttpRequest request) {
    HttpRequest.Builder b = request.toBuilder();
    request.header("X-Forwarded-Method").filter(s -> !s.isBlank()).ifPresent(b::method);
    request.header("X-Forwarded-Proto").filter(s -> !s.isBlank()).ifPresent(p -> b.scheme(p.split(",")[0].trim()));
    request.header("X-Forwarded-Host").filter(s -> !s.isBlank()).ifPresent(h -> b.host(h.split(",")[0].trim()));
    String uri = request.header("X-Forwarded-Uri").filter(s -> !s.isBlank()).orElse(null);
    if (uri != null) {
      String path = uri;
      String query = null;
      int q = uri.indexOf('?');
      if (q >= 0) {
        path = uri.substring(0, q);
        query = uri.substring(q + 1);
      }
      b.path(java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
      b.rawQuery(query);
    } else {
      String p = request.path();
      b.path(p.startsWith("/decisions") ? p.substring("/decisions".length()) : p);
    }
    return b.build();
  }
}
