package io.ory4j.oauth2.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.ClientId;
import java.util.Optional;

/** Stores OAuth 2.0 clients. */
public interface ClientStore {

  /** Adds a client; a {@link io.ory4j.core.storage.DuplicateException} when its id is taken. */
  void create(StoredClient client);

  /** The client with this id. */
  Optional<StoredClient> find(ClientId id);

  /** Replaces a client; false when it does not exist. */
  boolean update(StoredClient client);

  /** Deletes a client; false when it did not exist. */
  boolean delete(ClientId id);

  /** A page of the clients that pass {@code filter}, ordered by id. */
  Page<StoredClient> list(PageRequest page, ClientFilter filter);

  /** A page of all clients, ordered by id. */
  default Page<StoredClient> list(PageRequest page) {
    return list(page, ClientFilter.none());
  }
}
