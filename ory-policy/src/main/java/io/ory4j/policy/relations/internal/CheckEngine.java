package io.ory4j.policy.relations.internal;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.Relation;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Rewrite;
import io.ory4j.policy.relations.Rewrite.ComputedSubjectSet;
import io.ory4j.policy.relations.Rewrite.Not;
import io.ory4j.policy.relations.Rewrite.Operator;
import io.ory4j.policy.relations.Rewrite.SetOperation;
import io.ory4j.policy.relations.Rewrite.TupleToSubjectSet;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keto's check algorithm, step for step (its {@code internal/check} engine), evaluated sequentially with the same
 * short-circuits:
 * <ul>
 *   <li>{@code checkIsAllowed}: unknown at depth 0; otherwise the union of the relation's rewrite, a direct look-up
 *       (at depth - 1; skipped in strict mode when the relation has a rewrite) and the expansion of subject sets
 *       (at depth - 1; in strict mode only when the relation's types allow subject sets);
 *   <li>a union is member when a child is, an intersection when every child is, a negation swaps member and not
 *       member and leaves unknown (depth used up) unknown; unions and intersections turn unknown into not member as
 *       Keto does, unless {@code keepUnknown} asks to keep it (see {@link Union}); unknown at the top is a denial;
 *   <li>computed subject sets under a union are looked up directly in one step before recursing at depth - 1;
 *       traversals recurse at depth - 1; nested operations at depth - 1.
 * </ul>
 * A subject set already expanded in this check is not expanded again, so cycles terminate.
 */
public final class CheckEngine {

  private static final Logger log = LoggerFactory.getLogger(CheckEngine.class);

  private final RelationTupleStore store;
  private final NamespaceRegistry namespaces;
  private final boolean strict;
  private final int maxWidth;
  private final boolean keepUnknown;

  /**
   * @param keepUnknown false for Keto's exact semantics (unions and intersections turn an unknown child into "not
   *     member"); true to keep unknown through them, so an undecided negation never grants
   */
  public CheckEngine(RelationTupleStore store, NamespaceRegistry namespaces, boolean strict, int maxWidth,
      boolean keepUnknown) {
    this.store = Objects.requireNonNull(store, "store");
    this.namespaces = Objects.requireNonNull(namespaces, "namespaces");
    this.strict = strict;
    this.maxWidth = maxWidth;
    this.keepUnknown = keepUnknown;
  }

  /** True when the tuple's subject has the relation on the object within {@code depth}. */
  public boolean check(RelationTuple t, int depth) {
    return checkIsAllowed(t, depth, false, new HashSet<>()) == Membership.MEMBER;
  }

  Membership checkIsAllowed(RelationTuple r, int depth, boolean skipDirect, Set<SubjectSet> visited) {
    if (depth <= 0) {
      return Membership.UNKNOWN;
    }
    Relation relation = namespaces.relation(r.namespace(), r.relation());
    boolean hasRewrite = relation != null && relation.rewrite() != null;
    boolean canHaveSubjectSets = !strict || relation == null || relation.allowsSubjectSets();
    Union union = new Union(keepUnknown);
    if (hasRewrite && union.add(rewrite(r, asOperation(relation.rewrite()), depth, visited))) {
      return Membership.MEMBER;
    }
    if ((!strict || !hasRewrite) && !skipDirect && union.add(direct(r, depth - 1))) {
      return Membership.MEMBER;
    }
    if (canHaveSubjectSets && union.add(expandSubject(r, depth - 1, visited))) {
      return Membership.MEMBER;
    }
    return union.result();
  }

  /**
   * A union: member when a child is. Otherwise, as Keto's check groups do, "not member" even when a child was
   * unknown; with {@code keepUnknown}, unknown when a child was. Keto's way lets a negation above the union grant
   * access when the depth ran out (for example {@code !(a && b)} checked with a small {@code max-depth}); keeping
   * unknown means an undecided negation never grants. Without negation both give the same answers.
   */
  private static final class Union {
    private final boolean keepUnknown;
    private boolean unknown;

    Union(boolean keepUnknown) {
      this.keepUnknown = keepUnknown;
    }

    /** Adds a child's result; true when the union is decided (a member). */
    boolean add(Membership m) {
      unknown |= m == Membership.UNKNOWN;
      return m == Membership.MEMBER;
    }

    Membership result() {
      return unknown && keepUnknown ? Membership.UNKNOWN : Membership.NOT_MEMBER;
    }
  }

  private Membership direct(RelationTuple r, int depth) {
    if (depth <= 0) {
      return Membership.UNKNOWN;
    }
    return store.exists(r) ? Membership.MEMBER : Membership.NOT_MEMBER;
  }

  /** For r = n:o#rel@s: each subject set S in n:o#rel@S, a direct S@s first, then a recursive check of S@s. */
  private Membership expandSubject(RelationTuple r, int depth, Set<SubjectSet> visited) {
    if (depth <= 0) {
      return Membership.UNKNOWN;
    }
    List<SubjectSet> sets = store.subjectSetsOf(r.asSubjectSet(), maxWidth);
    if (sets.size() >= maxWidth) {
      log.debug("check of {} reached the width limit {}", r, maxWidth);
    }
    for (SubjectSet s : sets) {
      if (store.exists(tupleOf(s, r))) {
        return Membership.MEMBER;
      }
    }
    Union union = new Union(keepUnknown);
    for (SubjectSet s : sets) {
      if (!visited.add(s)) {
        continue;
      }
      if (union.add(checkIsAllowed(tupleOf(s, r), depth, true, visited))) {
        return Membership.MEMBER;
      }
    }
    return union.result();
  }

  private static RelationTuple tupleOf(SubjectSet s, RelationTuple r) {
    if (s.relation().isEmpty()) {
      // a bare object as subject set cannot have members; keep the look-up well-formed
      return new RelationTuple(s.namespace(), s.object(), "...", r.subject());
    }
    return new RelationTuple(s.namespace(), s.object(), s.relation(), r.subject());
  }

  private Membership rewrite(RelationTuple r, SetOperation op, int depth, Set<SubjectSet> visited) {
    if (depth <= 0) {
      return Membership.UNKNOWN;
    }
    boolean or = op.operator() == Operator.OR;
    List<Rewrite> children = op.children();
    if (children.isEmpty()) {
      return Membership.NOT_MEMBER;
    }
    Union union = new Union(keepUnknown);
    boolean andUnknown = false;
    if (or) {
      List<String> computed = new ArrayList<>();
      for (Rewrite c : children) {
        if (c instanceof ComputedSubjectSet cs) {
          computed.add(cs.relation());
        }
      }
      if (!computed.isEmpty()) {
        for (String rel : computed) {
          if (store.exists(new RelationTuple(r.namespace(), r.object(), rel, r.subject()))) {
            return Membership.MEMBER;
          }
        }
        for (String rel : computed) {
          if (union.add(checkIsAllowed(new RelationTuple(r.namespace(), r.object(), rel, r.subject()), depth - 1,
              true, visited))) {
            return Membership.MEMBER;
          }
        }
      }
    }
    for (Rewrite c : children) {
      if (or && c instanceof ComputedSubjectSet) {
        continue;
      }
      Membership m = child(r, c, depth, visited);
      if (or && union.add(m)) {
        return Membership.MEMBER;
      }
      if (!or && m == Membership.NOT_MEMBER) {
        return Membership.NOT_MEMBER;
      }
      andUnknown |= m == Membership.UNKNOWN;
    }
    if (or) {
      return union.result();
    }
    if (andUnknown) {
      return keepUnknown ? Membership.UNKNOWN : Membership.NOT_MEMBER;
    }
    return Membership.MEMBER;
  }

  private Membership child(RelationTuple r, Rewrite c, int depth, Set<SubjectSet> visited) {
    if (c instanceof TupleToSubjectSet t) {
      return traverse(r, t, depth, visited);
    }
    if (c instanceof ComputedSubjectSet cs) {
      return computed(r, cs, depth, visited);
    }
    if (c instanceof SetOperation s) {
      return rewrite(r, s, depth - 1, visited);
    }
    return inverted(r, (Not) c, depth, visited);
  }

  private Membership computed(RelationTuple r, ComputedSubjectSet cs, int depth, Set<SubjectSet> visited) {
    if (depth < 0) {
      return Membership.UNKNOWN;
    }
    return checkIsAllowed(new RelationTuple(r.namespace(), r.object(), cs.relation(), r.subject()), depth, false,
        visited);
  }

  private Membership inverted(RelationTuple r, Not not, int depth, Set<SubjectSet> visited) {
    if (depth < 0) {
      return Membership.UNKNOWN;
    }
    Rewrite c = not.child();
    Membership m = c instanceof SetOperation s ? rewrite(r, s, depth, visited) : child(r, c, depth, visited);
    return m.invert();
  }

  private Membership traverse(RelationTuple r, TupleToSubjectSet t, int depth, Set<SubjectSet> visited) {
    if (depth < 0) {
      return Membership.UNKNOWN;
    }
    String token = null;
    int seen = 0;
    Union union = new Union(keepUnknown);
    do {
      Page<RelationTuple> page = store.find(RelationQuery.of(r.namespace(), r.object(), t.relation()),
          new PageRequest(Math.min(maxWidth, PageRequest.MAX_SIZE), token));
      for (RelationTuple tuple : page.items()) {
        if (tuple.subject() instanceof SubjectSet s) {
          RelationTuple next = new RelationTuple(s.namespace(), s.object(), t.computedRelation(), r.subject());
          if (union.add(checkIsAllowed(next, depth - 1, false, visited))) {
            return Membership.MEMBER;
          }
        }
        if (++seen >= maxWidth) {
          log.debug("traversal of {} reached the width limit {}", r, maxWidth);
          return union.result();
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return union.result();
  }

  private static SetOperation asOperation(Rewrite rewrite) {
    return rewrite instanceof SetOperation s ? s : new SetOperation(Operator.OR, List.of(rewrite));
  }
}
