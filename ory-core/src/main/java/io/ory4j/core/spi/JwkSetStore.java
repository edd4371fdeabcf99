package io.ory4j.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * Keeps JSON Web Key sets. Implementations must be thread-safe; the conformance kit {@code JwkSetStoreContract} in
 * ory-testkit states the contract as tests.
 */
public interface JwkSetStore {

  /**
   * Adds a key.
   *
   * @throws io.ory4j.core.storage.DuplicateException when the set already has a key with this kid
   */
  void add(StoredKey key);

  /** The keys of a set, newest first (by {@code createdAt}, then kid descending); empty when the set is unknown. */
  List<StoredKey> findSet(String set);

  /** One key. */
  Optional<StoredKey> find(String set, String kid);

  /** Deletes one key; true when it existed. */
  boolean delete(String set, String kid);

  /** Deletes a whole set; returns how many keys were deleted. */
  int deleteSet(String set);

  /** The names of all sets that have at least one key, sorted. */
  List<String> listSets();
}
