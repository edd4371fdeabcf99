package io.ory4j.policy.relations;

import io.ory4j.core.error.OryException;

/**
 * A subject set {@code namespace:object#relation}: every subject that has {@code relation} on {@code object}. The
 * relation may be empty, meaning the object itself (as traversal tuples such as {@code Doc:d#parents@Folder:f} use).
 */
public record SubjectSet(String namespace, String object, String relation) implements Subject {
  public SubjectSet {
    RelationTuple.requireText("subject_set.namespace", namespace);
    RelationTuple.requireText("subject_set.object", object);
    if (relation == null) {
      relation = "";
    }
    RelationTuple.requireLength("subject_set.relation", relation);
  }

  /** Parses {@code namespace:object#relation}, {@code namespace:object#} or {@code namespace:object}. */
  public static SubjectSet parse(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0) {
      throw OryException.badRequest("malformed subject set \"" + s + "\": expected namespace:object#relation");
    }
    int hash = s.indexOf('#', colon);
    String ns = s.substring(0, colon);
    String obj = hash < 0 ? s.substring(colon + 1) : s.substring(colon + 1, hash);
    String rel = hash < 0 ? "" : s.substring(hash + 1);
    return new SubjectSet(ns, obj, rel);
  }

  @Override
  public String toString() {
    return namespace + ":" + object + "#" + relation;
  }
}
