package io.ory4j.policy.relations;

import org.jspecify.annotations.Nullable;

/**
 * A filter over relation tuples: every field that is set must match. A subject filter is either a subject id or a
 * subject set (whose relation, when empty, matches only an empty relation).
 *
 * @param namespace the namespace, or null for any
 * @param object the object, or null for any
 * @param relation the relation, or null for any
 * @param subject the subject, or null for any
 */
public record RelationQuery(@Nullable String namespace, @Nullable String object, @Nullable String relation,
    @Nullable Subject subject) {

  /** Matches every tuple. */
  public static RelationQuery all() {
    return new RelationQuery(null, null, null, null);
  }

  public static RelationQuery of(String namespace, String object, String relation) {
    return new RelationQuery(namespace, object, relation, null);
  }

  /** Tuples whose subject is {@code subject}. */
  public static RelationQuery bySubject(Subject subject) {
    return new RelationQuery(null, null, null, subject);
  }

  /** The exact tuple. */
  public static RelationQuery exactly(RelationTuple t) {
    return new RelationQuery(t.namespace(), t.object(), t.relation(), t.subject());
  }

  /** True when {@code t} matches. */
  public boolean matches(RelationTuple t) {
    return (namespace == null || namespace.equals(t.namespace()))
        && (object == null || object.equals(t.object()))
        && (relation == null || relation.equals(t.relation()))
        && (subject == null || subject.equals(t.subject()));
  }

  /** True when no field is set. */
  public boolean isEmpty() {
    return namespace == null && object == null && relation == null && subject == null;
  }
}
