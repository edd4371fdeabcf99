package io.ory4j.policy.relations.internal;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reverse lookup Keto lacks: the objects of a namespace on which a subject has a relation or permission.
 *
 * <p>Candidates are found by walking the tuples backwards from the subject (the tuples that name it, then the
 * tuples that name those objects or subject sets, up to the depth limit); each candidate object of the namespace is
 * then decided by the check engine, so the answer is exactly what checks would say. A permission granted only
 * through a negation ({@code !x} with no tuple linking object and subject) has no path to walk and is not listed.
 */
public final class ObjectLister {

  private final RelationTupleStore store;
  private final CheckEngine check;
  private final int maxWidth;

  public ObjectLister(RelationTupleStore store, CheckEngine check, int maxWidth) {
    this.store = store;
    this.check = check;
    this.maxWidth = maxWidth;
  }

  /** The objects, sorted, one page (the token is the last object of the previous page). */
  public Page<String> list(String namespace, String relation, Subject subject, int depth, PageRequest page) {
    TreeSet<String> candidates = new TreeSet<>();
    Set<Subject> seen = new HashSet<>();
    Deque<Subject> frontier = new ArrayDeque<>();
    frontier.add(subject);
    seen.add(subject);
    for (int level = 0; level <= depth && !frontier.isEmpty(); level++) {
      Deque<Subject> next = new ArrayDeque<>();
      for (Subject s : frontier) {
        for (RelationTuple t : tuplesNaming(s)) {
          if (t.namespace().equals(namespace)) {
            candidates.add(t.object());
          }
          // the subject set this tuple makes s a member of, and the object itself (for traversals)
          for (Subject up : List.<Subject>of(t.asSubjectSet(), new SubjectSet(t.namespace(), t.object(), ""))) {
            if (seen.add(up)) {
              next.add(up);
            }
          }
        }
      }
      frontier = next;
    }
    String after = page.pageToken() == null ? null : PageToken.decode(page.pageToken());
    List<String> out = new ArrayList<>();
    for (String object : after == null ? candidates : candidates.tailSet(after, false)) {
      if (check.check(new RelationTuple(namespace, object, relation, subject), depth)) {
        out.add(object);
        if (out.size() > page.pageSize()) {
          break;
        }
      }
    }
    return Page.fromOverfetch(out, page.pageSize(), o -> o);
  }

  private List<RelationTuple> tuplesNaming(Subject s) {
    List<RelationTuple> out = new ArrayList<>();
    String token = null;
    do {
      Page<RelationTuple> p = store.find(RelationQuery.bySubject(s), new PageRequest(PageRequest.MAX_SIZE, token));
      out.addAll(p.items());
      token = p.nextPageToken();
    } while (token != null && out.size() < maxWidth * 10);
    return out;
  }
}
