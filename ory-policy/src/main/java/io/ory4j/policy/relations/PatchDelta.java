package io.ory4j.policy.relations;

import java.util.Objects;

/**
 * One change of a transactional patch, as Keto's {@code PATCH /admin/relation-tuples} takes it.
 *
 * @param action insert or delete
 * @param tuple the tuple
 */
public record PatchDelta(Action action, RelationTuple tuple) {

  /** Keto's patch actions. */
  public enum Action {
    INSERT,
    DELETE
  }

  public PatchDelta {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(tuple, "tuple");
  }

  public static PatchDelta insert(RelationTuple t) {
    return new PatchDelta(Action.INSERT, t);
  }

  public static PatchDelta delete(RelationTuple t) {
    return new PatchDelta(Action.DELETE, t);
  }
}
