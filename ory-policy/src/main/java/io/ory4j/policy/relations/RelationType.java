package io.ory4j.policy.relations;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One allowed subject type of a {@code related} relation: a namespace ({@code User}), or a subject set of a
 * namespace's relation ({@code SubjectSet<Group, "members">}).
 *
 * @param namespace the subject's namespace
 * @param relation the subject set relation, or null for plain objects of the namespace
 */
public record RelationType(String namespace, @Nullable String relation) {
  public RelationType {
    Objects.requireNonNull(namespace, "namespace");
  }

  public static RelationType of(String namespace) {
    return new RelationType(namespace, null);
  }

  public static RelationType subjectSet(String namespace, String relation) {
    return new RelationType(namespace, relation);
  }
}
