package io.ory4j.core.store.memory;

import io.ory4j.core.spi.JwkSetStore;
import io.ory4j.core.spi.StoredKey;
import io.ory4j.core.storage.DuplicateException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A thread-safe in-memory {@link JwkSetStore}. */
public final class InMemoryJwkSetStore implements JwkSetStore {

  static final Comparator<StoredKey> NEWEST_FIRST =
      Comparator.comparing(StoredKey::createdAt).thenComparing(StoredKey::kid).reversed();

  private final Map<String, Map<String, StoredKey>> sets = new ConcurrentHashMap<>();

  @Override
  public void add(StoredKey key) {
    Map<String, StoredKey> set = sets.computeIfAbsent(key.set(), s -> new ConcurrentSkipListMap<>());
    if (set.putIfAbsent(key.kid(), key) != null) {
      throw new DuplicateException("The key set " + key.set() + " already has a key with kid " + key.kid() + ".");
    }
  }

  @Override
  public List<StoredKey> findSet(String set) {
    Map<String, StoredKey> keys = sets.get(set);
    if (keys == null) {
      return List.of();
    }
    List<StoredKey> out = new ArrayList<>(keys.values());
    out.sort(NEWEST_FIRST);
    return List.copyOf(out);
  }

  @Override
  public Optional<StoredKey> find(String set, String kid) {
    Map<String, StoredKey> keys = sets.get(set);
    return keys == null ? Optional.empty() : Optional.ofNullable(keys.get(kid));
  }

  @Override
  public boolean delete(String set, String kid) {
    Map<String, StoredKey> keys = sets.get(set);
    return keys != null && keys.remove(kid) != null;
  }

  @Override
  public int deleteSet(String set) {
    Map<String, StoredKey> keys = sets.remove(set);
    return keys == null ? 0 : keys.size();
  }

  @Override
  public List<String> listSets() {
    return sets.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).sorted().toList();
  }
}
