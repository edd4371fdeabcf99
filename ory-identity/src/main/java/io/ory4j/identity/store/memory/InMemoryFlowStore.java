package io.ory4j.identity.store.memory;

import io.ory4j.identity.spi.FlowStore;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A thread-safe in-memory {@link FlowStore}. */
public final class InMemoryFlowStore implements FlowStore {

  private final Map<UUID, StoredFlow> flows = new ConcurrentHashMap<>();

  @Override
  public void save(StoredFlow flow) {
    flows.put(flow.id(), flow);
  }

  @Override
  public Optional<StoredFlow> find(UUID id) {
    return Optional.ofNullable(flows.get(id));
  }

  @Override
  public void delete(UUID id) {
    flows.remove(id);
  }

  @Override
  public int deleteExpired(Instant before) {
    int[] n = {0};
    flows.values().removeIf(f -> {
      boolean old = f.expiresAt().isBefore(before);
      n[0] += old ? 1 : 0;
      return old;
    });
    return n[0];
  }
}
