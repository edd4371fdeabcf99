package io.ory4j.policy.relations;

import java.util.List;
import java.util.Objects;

/**
 * A permission's rewrite, the Ory Permission Language's expression tree (Keto's {@code SubjectSetRewrite}):
 * <ul>
 *   <li>{@link ComputedSubjectSet}: {@code this.related.R.includes(ctx.subject)} or {@code this.permits.P(ctx)};
 *   <li>{@link TupleToSubjectSet}: {@code this.related.R.traverse((x) => x.related.Q.includes(ctx.subject))} or
 *       {@code ... => x.permits.P(ctx))};
 *   <li>{@link Not}: {@code !expr};
 *   <li>{@link SetOperation}: {@code a || b} (union) and {@code a && b} (intersection).
 * </ul>
 */
public sealed interface Rewrite permits Rewrite.ComputedSubjectSet, Rewrite.TupleToSubjectSet, Rewrite.Not,
    Rewrite.SetOperation {

  /** The relation on the same object. */
  record ComputedSubjectSet(String relation) implements Rewrite {
    public ComputedSubjectSet {
      Objects.requireNonNull(relation, "relation");
    }
  }

  /** For each tuple {@code object#relation@S}, the relation {@code computedRelation} on S's object. */
  record TupleToSubjectSet(String relation, String computedRelation) implements Rewrite {
    public TupleToSubjectSet {
      Objects.requireNonNull(relation, "relation");
      Objects.requireNonNull(computedRelation, "computedRelation");
    }
  }

  /** The negation of a child. */
  record Not(Rewrite child) implements Rewrite {
    public Not {
      Objects.requireNonNull(child, "child");
    }
  }

  /** Union ({@code ||}) or intersection ({@code &&}) of children. */
  record SetOperation(Operator operator, List<Rewrite> children) implements Rewrite {
    public SetOperation {
      Objects.requireNonNull(operator, "operator");
      children = List.copyOf(children);
    }
  }

  /** The binary operators of the Ory Permission Language. */
  enum Operator {
    OR,
    AND
  }

  static Rewrite computed(String relation) {
    return new ComputedSubjectSet(relation);
  }

  static Rewrite traverse(String relation, String computedRelation) {
    return new TupleToSubjectSet(relation, computedRelation);
  }

  static Rewrite not(Rewrite child) {
    return new Not(child);
  }

  static Rewrite or(Rewrite... children) {
    return new SetOperation(Operator.OR, List.of(children));
  }

  static Rewrite and(Rewrite... children) {
    return new SetOperation(Operator.AND, List.of(children));
  }
}
