package io.ory4j.policy.acp.spi;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import java.util.List;
import java.util.Optional;

/**
 * Stores ORY Access Control Policies, one set per {@link Flavor}. Values arrive validated by the engine. Every write
 * raises the flavor's {@link #revision}, which the engine polls to see changes made by other processes.
 */
public interface PolicyStore {

  /** Inserts or replaces the policy with the same id in {@code flavor}. */
  void upsert(Flavor flavor, Policy policy);

  /** The policy with {@code id}. */
  Optional<Policy> find(Flavor flavor, String id);

  /** Deletes the policy with {@code id}; false when there was none. */
  boolean delete(Flavor flavor, String id);

  /** A page of the policies passing {@code filter}, ordered by id. */
  List<Policy> list(Flavor flavor, PolicyFilter filter, int limit, int offset);

  /** Every policy of {@code flavor}, for the engine's index. */
  List<Policy> all(Flavor flavor);

  /** A number that changes whenever a policy of {@code flavor} is written or deleted. */
  long revision(Flavor flavor);
}
