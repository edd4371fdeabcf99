package io.ory4j.policy.acp.store.memory;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.spi.PolicyStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Policies in memory, ordered by id; thread-safe. */
public final class InMemoryPolicyStore implements PolicyStore {

  private final Map<Flavor, TreeMap<String, Policy>> data = new EnumMap<>(Flavor.class);
  private final Map<Flavor, long[]> revisions = new EnumMap<>(Flavor.class);

  public InMemoryPolicyStore() {
    for (Flavor f : Flavor.values()) {
      data.put(f, new TreeMap<>());
      revisions.put(f, new long[1]);
    }
  }

  @Override
  public synchronized void upsert(Flavor flavor, Policy policy) {
    data.get(flavor).put(policy.id(), policy);
    revisions.get(flavor)[0]++;
  }

  @Override
  public synchronized Optional<Policy> find(Flavor flavor, String id) {
    return Optional.ofNullable(data.get(flavor).get(id));
  }

  @Override
  public synchronized boolean delete(Flavor flavor, String id) {
    boolean removed = data.get(flavor).remove(id) != null;
    revisions.get(flavor)[0]++;
    return removed;
  }

  @Override
  public synchronized List<Policy> list(Flavor flavor, PolicyFilter filter, int limit, int offset) {
    return data.get(flavor).values().stream().filter(filter::test).skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized List<Policy> all(Flavor flavor) {
    return new ArrayList<>(data.get(flavor).values());
  }

  @Override
  public synchronized long revision(Flavor flavor) {
    return revisions.get(flavor)[0];
  }
}
