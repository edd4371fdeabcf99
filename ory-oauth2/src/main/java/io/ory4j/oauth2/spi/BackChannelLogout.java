package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.ClientId;
import java.net.URI;
import java.util.Objects;

/**
 * Delivers OpenID Connect back-channel logout notifications. The default posts the logout token to the client's
 * {@code backchannel_logout_uri} asynchronously; replace it to queue, retry or observe deliveries.
 */
@FunctionalInterface
public interface BackChannelLogout {

  /** One notification to deliver. */
  record Notification(ClientId clientId, URI uri, String logoutToken) {
    public Notification {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(uri, "uri");
      Objects.requireNonNull(logoutToken, "logoutToken");
    }

    @Override
    public String toString() {
      return "Notification[" + clientId + " -> " + uri + ", token redacted]";
    }
  }

  /** Delivers (or schedules) one notification; must not block the logout for long. */
  void send(Notification notification);
}
