package io.ory4j.policy.relations;

/** A subject id, such as a user id. */
public record SubjectId(String id) implements Subject {
  public SubjectId {
    RelationTuple.requireText("subject_id", id);
  }

  @Override
  public String toString() {
    return id;
  }
}
