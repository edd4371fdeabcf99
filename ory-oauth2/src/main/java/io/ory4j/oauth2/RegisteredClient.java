package io.ory4j.oauth2;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client as the registration endpoint answers (RFC 7591 section 3.2.1, RFC 7592 section 3): its metadata, and the
 * secrets shown only in this answer.
 *
 * @param client the stored client
 * @param secret the client secret in the clear (on registration only), or null
 * @param registrationAccessToken the registration access token (on registration and on each update, which rotates it),
 *     or null on a read
 * @param registrationClientUri where the client reads, updates and deletes its registration
 */
public record RegisteredClient(OAuth2Client client, @Nullable String secret, @Nullable String registrationAccessToken,
    String registrationClientUri) {
  public RegisteredClient {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(registrationClientUri, "registrationClientUri");
  }

  @Override
  public String toString() {
    return "RegisteredClient[" + client.clientId() + ", secrets redacted]";
  }
}
