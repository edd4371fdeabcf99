package io.ory4j.oauth2.store.memory;

import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.spi.ClientFilter;
import io.ory4j.oauth2.spi.ClientStore;
import io.ory4j.oauth2.spi.StoredClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** A {@link ClientStore} in memory. Thread-safe. */
public final class InMemoryClientStore implements ClientStore {

  private final ConcurrentSkipListMap<String, StoredClient> clients = new ConcurrentSkipListMap<>();

  @Override
  public void create(StoredClient client) {
    if (clients.putIfAbsent(client.client().id().value(), client) != null) {
      throw new DuplicateException("Unable to insert or update resource because a resource with that value exists "
          + "already");
    }
  }

  @Override
  public Optional<StoredClient> find(ClientId id) {
    return Optional.ofNullable(clients.get(id.value()));
  }

  @Override
  public boolean update(StoredClient client) {
    return clients.replace(client.client().id().value(), client) != null;
  }

  @Override
  public boolean delete(ClientId id) {
    return clients.remove(id.value()) != null;
  }

  @Override
  public Page<StoredClient> list(PageRequest page, ClientFilter filter) {
    var view = page.pageToken() == null ? clients : clients.tailMap(PageToken.decode(page.pageToken()), false);
    List<StoredClient> out = new ArrayList<>();
    for (StoredClient c : view.values()) {
      if (!filter.matches(c.client())) {
        continue;
      }
      out.add(c);
      if (out.size() > page.pageSize()) {
        break;
      }
    }
    return Page.fromOverfetch(out, page.pageSize(), c -> c.client().id().value());
  }
}
