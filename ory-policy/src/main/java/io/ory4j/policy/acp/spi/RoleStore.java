package io.ory4j.policy.acp.spi;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Role;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Stores roles, one set per {@link Flavor}. Every write raises the flavor's {@link #revision}, which the engine polls
 * to see changes made by other processes.
 */
public interface RoleStore {

  /** Inserts or replaces the role with the same id in {@code flavor}. */
  void upsert(Flavor flavor, Role role);

  /** The role with {@code id}. */
  Optional<Role> find(Flavor flavor, String id);

  /** Deletes the role with {@code id}; false when there was none. */
  boolean delete(Flavor flavor, String id);

  /** A page of the roles that have {@code member} (all roles when null), ordered by id. */
  List<Role> list(Flavor flavor, @Nullable String member, int limit, int offset);

  /** Every role of {@code flavor}, for the engine's index. */
  List<Role> all(Flavor flavor);

  /**
   * Adds members to the role, creating it when it does not exist; members it already has are not added twice.
   * Atomic. Returns the role as stored.
   */
  Role addMembers(Flavor flavor, String id, List<String> members);

  /** Removes {@code member} from the role. Atomic. Empty when there is no such role. */
  Optional<Role> removeMember(Flavor flavor, String id, String member);

  /** A number that changes whenever a role of {@code flavor} is written or deleted. */
  long revision(Flavor flavor);
}
