package io.ory4j.policy.relations;

import io.ory4j.core.error.OryException;
import java.util.Objects;

/**
 * A relation tuple {@code namespace:object#relation@subject}.
 *
 * @param namespace the namespace of the object
 * @param object the object
 * @param relation the relation
 * @param subject a {@link SubjectId} or a {@link SubjectSet}
 */
public record RelationTuple(String namespace, String object, String relation, Subject subject) {

  /** The longest namespace, object, relation or subject id accepted. */
  public static final int MAX_LENGTH = 1024;

  public RelationTuple {
    requireText("namespace", namespace);
    requireText("object", object);
    requireText("relation", relation);
    if (subject == null) {
      throw OryException.badRequest("incomplete tuple, provide \"namespace\", \"object\", \"relation\", and a subject")
          .withReason("subject is not allowed to be nil");
    }
  }

  public static RelationTuple of(String namespace, String object, String relation, String subjectId) {
    return new RelationTuple(namespace, object, relation, new SubjectId(subjectId));
  }

  public static RelationTuple of(String namespace, String object, String relation, SubjectSet subjectSet) {
    return new RelationTuple(namespace, object, relation, subjectSet);
  }

  /**
   * Parses Keto's string form: {@code namespace:object#relation@subject_id} or
   * {@code namespace:object#relation@namespace:object#relation}.
   */
  public static RelationTuple parse(String s) {
    Objects.requireNonNull(s, "s");
    int colon = s.indexOf(':');
    int hash = colon < 0 ? -1 : s.indexOf('#', colon);
    int at = hash < 0 ? -1 : s.indexOf('@', hash);
    if (colon <= 0 || hash < 0 || at < 0) {
      throw OryException.badRequest("malformed relation tuple \"" + s
          + "\": expected namespace:object#relation@subject");
    }
    String subject = s.substring(at + 1);
    if (subject.startsWith("(") && subject.endsWith(")")) {
      subject = subject.substring(1, subject.length() - 1);
    }
    return new RelationTuple(s.substring(0, colon), s.substring(colon + 1, hash), s.substring(hash + 1, at),
        Subject.parse(subject));
  }

  /** The subject set {@code namespace:object#relation} this tuple grants membership of. */
  public SubjectSet asSubjectSet() {
    return new SubjectSet(namespace, object, relation);
  }

  /** The same tuple with another subject. */
  public RelationTuple withSubject(Subject s) {
    return new RelationTuple(namespace, object, relation, s);
  }

  @Override
  public String toString() {
    return namespace + ":" + object + "#" + relation + "@" + subject;
  }

  static void requireText(String field, String value) {
    if (value == null || value.isEmpty()) {
      throw OryException.badRequest("incomplete tuple: \"" + field + "\" is required")
          .withReason("field \"" + field + "\" must not be empty").withDetail("field", field);
    }
    requireLength(field, value);
  }

  static void requireLength(String field, String value) {
    if (value.length() > MAX_LENGTH) {
      throw OryException.badRequest("\"" + field + "\" is longer than " + MAX_LENGTH + " characters")
          .withDetail("field", field);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw OryException.badRequest("\"" + field + "\" contains a control character").withDetail("field", field);
      }
    }
  }
}
