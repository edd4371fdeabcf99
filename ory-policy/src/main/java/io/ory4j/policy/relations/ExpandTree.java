package io.ory4j.policy.relations;

import java.util.List;
import java.util.Objects;

/**
 * A node of Keto's expand tree: a subject set expanded into its subjects ({@code union}), or a {@code leaf} (a
 * subject id, or a subject set not expanded further because the depth limit was reached).
 *
 * @param type {@code union} or {@code leaf}
 * @param subject the subject this node stands for
 * @param children the expanded subjects, possibly none
 */
public record ExpandTree(String type, Subject subject, List<ExpandTree> children) {

  public static final String UNION = "union";
  public static final String LEAF = "leaf";

  public ExpandTree {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(subject, "subject");
    children = List.copyOf(children);
  }

  /** Every subject id reachable in this tree. */
  public java.util.Set<String> subjectIds() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    collect(this, out);
    return out;
  }

  private static void collect(ExpandTree t, java.util.Set<String> out) {
    if (t.subject() instanceof SubjectId id) {
      out.add(id.id());
    }
    t.children().forEach(c -> collect(c, out));
  }
}
