package io.ory4j.policy.relations.internal;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.ExpandTree;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keto's expand: a subject set becomes a union of its subjects, each subject set child expanded in turn until the
 * depth is used up (then it is a leaf); a subject set already expanded in this tree is not expanded again. A subject
 * set without tuples expands to nothing (null), as Keto answers.
 */
public final class ExpandEngine {

  private final RelationTupleStore store;

  public ExpandEngine(RelationTupleStore store) {
    this.store = store;
  }

  public ExpandTree expand(SubjectSet root, int depth) {
    return build(root, depth, new HashSet<>());
  }

  private ExpandTree build(Subject subject, int depth, Set<SubjectSet> visited) {
    if (!(subject instanceof SubjectSet set)) {
      return new ExpandTree(ExpandTree.LEAF, subject, List.of());
    }
    if (!visited.add(set)) {
      return null;
    }
    List<RelationTuple> tuples = new ArrayList<>();
    String token = null;
    do {
      Page<RelationTuple> page = store.find(RelationQuery.of(set.namespace(), set.object(), set.relation()),
          new PageRequest(PageRequest.MAX_SIZE, token));
      tuples.addAll(page.items());
      token = page.nextPageToken();
    } while (token != null);
    if (tuples.isEmpty()) {
      return null;
    }
    if (depth <= 1) {
      return new ExpandTree(ExpandTree.LEAF, set, List.of());
    }
    List<ExpandTree> children = new ArrayList<>();
    for (RelationTuple t : tuples) {
      ExpandTree child = build(t.subject(), depth - 1, visited);
      children.add(child != null ? child : new ExpandTree(ExpandTree.LEAF, t.subject(), List.of()));
    }
    return new ExpandTree(ExpandTree.UNION, set, children);
  }
}
