package io.ory4j.identity;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Beyond Kratos, opt-in: throttling of failed logins by client address. After {@code limit} failed logins from one
 * address within {@code window} (counted from the first failure), every login from that address is refused for
 * {@code lockout} with 429 and message 4000901, before any credential is looked at, so the answer is the same for
 * every identifier, known or not. A successful login does not reset the count (else one valid account would let an
 * attacker keep guessing others).
 *
 * <p>The client address is the direct peer's (the servlet remote address). Behind a reverse proxy, name the header
 * it sets ({@code trustedProxyHeader}, such as {@code X-Forwarded-For}) and the proxies' addresses: the header is
 * believed only when the peer is one of {@code trustedProxies}, and the client is its right-most entry that is not a
 * trusted proxy.
 *
 * @param limit failed logins allowed within the window
 * @param window the counting window
 * @param lockout how long an address is refused once it reached the limit
 * @param trustedProxyHeader the header carrying the client address, or null to use the peer address only
 * @param trustedProxies the proxy addresses whose header is believed
 */
public record AddressThrottling(int limit, Duration window, Duration lockout, @Nullable String trustedProxyHeader,
    Set<String> trustedProxies) {

  public AddressThrottling {
    if (limit < 1) {
      throw new IllegalArgumentException("address throttling limit must be at least 1");
    }
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(lockout, "lockout");
    if (window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
      throw new IllegalArgumentException("address throttling window and lockout must be positive");
    }
    trustedProxies = Set.copyOf(trustedProxies);
    if (trustedProxyHeader != null && trustedProxies.isEmpty()) {
      throw new IllegalArgumentException("a trusted proxy header needs the trusted proxies' addresses");
    }
  }

  /** Throttling by the peer address only. */
  public static AddressThrottling of(int limit, Duration window, Duration lockout) {
    return new AddressThrottling(limit, window, lockout, null, Set.of());
  }

  /** The same, believing {@code header} when the peer is one of {@code proxies}. */
  public AddressThrottling behindProxies(String header, Set<String> proxies) {
    return new AddressThrottling(limit, window, lockout, Objects.requireNonNull(header), proxies);
  }

  /** The client address of a request, per the rules above; "" when it has none. */
  public String clientAddress(SelfServiceRequest r) {
    String peer = r.remoteAddress().trim();
    if (trustedProxyHeader == null || !trustedProxies.contains(peer)) {
      return peer;
    }
    java.util.List<String> hops = new java.util.ArrayList<>();
    for (String v : r.headers().getOrDefault(trustedProxyHeader, java.util.List.of())) {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          hops.add(part.trim());
        }
      }
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      if (!trustedProxies.contains(hops.get(i))) {
        return hops.get(i);
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }
}
