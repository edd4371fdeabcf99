package io.ory4j.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a self-service flow knows about the request that completes it: the flow document and the HTTP request facts
 * Kratos binds into a web hook's template ({@code ctx.flow}, {@code ctx.request_method}, {@code ctx.request_url},
 * {@code ctx.request_headers}, {@code ctx.request_cookies}), and the client address that per-address login
 * throttling counts by.
 *
 * @param flow the flow as Kratos' JSON (an empty object when the flow is driven from Java)
 * @param method the HTTP method
 * @param url the full request URL
 * @param headers request headers (names as sent)
 * @param cookies request cookies
 * @param remoteAddress the address of the direct peer (the servlet's remote address)
 */
public record SelfServiceRequest(JsonNode flow, String method, String url, Map<String, List<String>> headers,
    Map<String, String> cookies, String remoteAddress) {

  public SelfServiceRequest {
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(remoteAddress, "remoteAddress");
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    headers = java.util.Collections.unmodifiableMap(h);
    cookies = Map.copyOf(cookies);
  }

  /** A request from Java code with no HTTP request behind it (no headers, no cookies, no address). */
  public static SelfServiceRequest none() {
    return new SelfServiceRequest(JsonNodeFactory.instance.objectNode(), "", "", Map.of(), Map.of(), "");
  }

  /** The same request from the given peer address. */
  public SelfServiceRequest withRemoteAddress(String address) {
    return new SelfServiceRequest(flow, method, url, headers, cookies, address);
  }

  /** The first value of a header, if any. */
  public @Nullable String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
