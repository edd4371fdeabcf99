package io.ory4j.oauth2;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client just created or given a new secret: the only time its secret is shown.
 *
 * @param client the stored client
 * @param secret the secret in the clear, or null for a public client
 */
public record CreatedClient(OAuth2Client client, @Nullable String secret) {
  public CreatedClient {
    Objects.requireNonNull(client, "client");
  }

  @Override
  public String toString() {
    return "CreatedClient[" + client.clientId() + ", secret redacted]";
  }
}
