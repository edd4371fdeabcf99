package io.ory4j.policy.relations.spi;

import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectId;
import io.ory4j.policy.relations.SubjectSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Canonical keys for relation tuples, shared by every store so that ordering and page tokens agree: each part is
 * length-prefixed, so no two different tuples share a key, and the SHA-256 of a key is a fixed-size index column.
 */
public final class TupleKeys {
  private TupleKeys() {}

  /** The canonical key of a subject: {@code id:<len>:<id>} or {@code set:<len>:<ns><len>:<obj><len>:<rel>}. */
  public static String subjectKey(Subject s) {
    if (s instanceof SubjectId id) {
      return "id:" + part(id.id());
    }
    SubjectSet set = (SubjectSet) s;
    return "set:" + part(set.namespace()) + part(set.object()) + part(set.relation());
  }

  /** The canonical key of {@code namespace:object#relation}. */
  public static String setKey(String namespace, String object, String relation) {
    return part(namespace) + part(object) + part(relation);
  }

  /** The SHA-256 (hex) of the whole tuple's key: the order of pages and the primary key of JDBC stores. */
  public static String hash(RelationTuple t) {
    return sha256(setKey(t.namespace(), t.object(), t.relation()) + "@" + subjectKey(t.subject()));
  }

  /** The SHA-256 (hex) of a subject's key. */
  public static String subjectHash(Subject s) {
    return sha256(subjectKey(s));
  }

  /** The SHA-256 (hex) of a subject set's key. */
  public static String setHash(String namespace, String object, String relation) {
    return sha256(setKey(namespace, object, relation));
  }

  private static String part(String s) {
    return s.length() + ":" + s;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
