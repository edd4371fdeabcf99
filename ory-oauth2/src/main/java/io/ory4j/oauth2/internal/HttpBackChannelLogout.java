package io.ory4j.oauth2.internal;

import io.ory4j.oauth2.spi.BackChannelLogout;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Posts {@code logout_token} to a client's back-channel logout URI asynchronously; failures are logged at WARN. */
public final class HttpBackChannelLogout implements BackChannelLogout {

  private static final Logger log = LoggerFactory.getLogger(HttpBackChannelLogout.class);

  private final LazyHttpClient http = new LazyHttpClient(Duration.ofSeconds(5));

  @Override
  public void send(Notification n) {
    HttpRequest req = HttpRequest.newBuilder(n.uri()).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("logout_token="
            + URLEncoder.encode(n.logoutToken(), StandardCharsets.UTF_8))).build();
    http.get().sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((res, err) -> {
      if (err != null) {
        log.warn("back-channel logout to client {} failed: {}", n.clientId(), err.toString());
      } else if (res.statusCode() / 100 != 2) {
        log.warn("back-channel logout to client {} answered {}", n.clientId(), res.statusCode());
      }
    });
  }
}
