package io.ory4j.policy.relations;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A relation of a namespace: a {@code related} relation with its subject types (tuples are written for it), or a
 * permission ({@code permits}) with its rewrite.
 *
 * @param name the relation name
 * @param types the allowed subject types (empty for a permission)
 * @param rewrite the rewrite of a permission, or null for a related relation
 */
public record Relation(String name, List<RelationType> types, @Nullable Rewrite rewrite) {
  public Relation {
    Objects.requireNonNull(name, "name");
    types = List.copyOf(types);
  }

  /** True for a permission (a relation defined by a rewrite). */
  public boolean isPermission() {
    return rewrite != null;
  }

  /** True when some allowed type is a subject set (so subject-set tuples may be expanded in strict mode). */
  public boolean allowsSubjectSets() {
    return types.stream().anyMatch(t -> t.relation() != null);
  }
}
