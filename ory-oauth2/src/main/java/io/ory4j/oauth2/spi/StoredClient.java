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
 * @param registrationTokenSignature the HMAC signature of the client's registration access token (RFC 7592), for a
 *     client created through dynamic client registration; the token itself is never stored. Null otherwise
 */
public record StoredClient(OAuth2Client client, List<String> secretHashes, @Nullable String encryptedSecret,
    @Nullable String registrationTokenSignature) {
  public StoredClient {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(client.clientId(), "client.client_id");
    secretHashes = List.copyOf(secretHashes);
  }

  /** A client without a registration access token (one created on the admin API). */
  public StoredClient(OAuth2Client client, List<String> secretHashes, @Nullable String encryptedSecret) {
    this(client, secretHashes, encryptedSecret, null);
  }

  /** A copy with another registration access token signature (a dynamic client's token is rotated on update). */
  public StoredClient withRegistrationTokenSignature(@Nullable String v) {
    return new StoredClient(client, secretHashes, encryptedSecret, v);
  }
}
