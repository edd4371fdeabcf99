package io.ory4j.policy.relations;

/** The subject of a relation tuple: a subject id, or a subject set. */
public sealed interface Subject permits SubjectId, SubjectSet {

  /** Parses {@code id} or {@code namespace:object#relation} (a subject set; the relation may be empty). */
  static Subject parse(String s) {
    if (s.indexOf(':') >= 0) {
      return SubjectSet.parse(s);
    }
    return new SubjectId(s);
  }
}
