package io.ory4j.oauth2.spi;

import io.ory4j.oauth2.OAuth2Client;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A client as stored: its metadata, the hashes of its live secrets (more than one while a secret is being rotated),
 * and, only for {@code client_secret_jwt} clients, the secret encrypted under the system secret (an HMAC key must be
 * recoverable, so it cannot be hashed).
 *
 * @param client the client metadata, with its id and timestamps set
 * @param secretHashes the hashes of the live secrets, newest first
 * @param encryptedSecret the secret encrypted at rest, or null
 */
public record StoredClient(OAuth2Client client, List<String> secretHashes, @Nullable String encryptedSecret) {
  public StoredClient {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(client.clientId(), "client.client_id");
    secretHashes = List.copyOf(secretHashes);
  }
}
