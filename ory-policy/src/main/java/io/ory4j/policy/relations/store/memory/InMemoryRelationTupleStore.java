package io.ory4j.policy.relations.store.memory;

import io.ory4j.core.error.OryException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.spi.TupleKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A thread-safe in-memory {@link RelationTupleStore}: tuples by hash (the page order), an index from
 * {@code namespace:object#relation} to its tuples, and one from subject to tuples. A write takes the write lock, so
 * a patch is atomic and readers never see half of it.
 */
public final class InMemoryRelationTupleStore implements RelationTupleStore {

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final NavigableMap<String, RelationTuple> byHash = new TreeMap<>();
  private final Map<SubjectSet, Set<RelationTuple>> byObject = new HashMap<>();
  private final Map<Subject, Set<RelationTuple>> bySubject = new HashMap<>();

  @Override
  public void write(Collection<RelationTuple> insert, Collection<RelationTuple> delete) {
    lock.writeLock().lock();
    try {
      for (RelationTuple t : delete) {
        if (byHash.remove(TupleKeys.hash(t)) != null) {
          removeIndex(byObject, t.asSubjectSet(), t);
          removeIndex(bySubject, t.subject(), t);
        }
      }
      for (RelationTuple t : insert) {
        if (byHash.putIfAbsent(TupleKeys.hash(t), t) == null) {
          byObject.computeIfAbsent(t.asSubjectSet(), k -> new LinkedHashSet<>()).add(t);
          bySubject.computeIfAbsent(t.subject(), k -> new LinkedHashSet<>()).add(t);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static <K> void removeIndex(Map<K, Set<RelationTuple>> index, K key, RelationTuple t) {
    Set<RelationTuple> s = index.get(key);
    if (s != null) {
      s.remove(t);
      if (s.isEmpty()) {
        index.remove(key);
      }
    }
  }

  @Override
  public boolean exists(RelationTuple tuple) {
    lock.readLock().lock();
    try {
      Set<RelationTuple> s = byObject.get(tuple.asSubjectSet());
      return s != null && s.contains(tuple);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Page<RelationTuple> find(RelationQuery q, PageRequest page) {
    String after = page.pageToken() == null ? null : PageToken.decode(page.pageToken());
    lock.readLock().lock();
    try {
      List<RelationTuple> out = new ArrayList<>(Math.min(page.pageSize() + 1, 1024));
      Collection<RelationTuple> candidates = candidates(q);
      if (candidates != null) {
        TreeMap<String, RelationTuple> sorted = new TreeMap<>();
        for (RelationTuple t : candidates) {
          if (q.matches(t)) {
            sorted.put(TupleKeys.hash(t), t);
          }
        }
        for (RelationTuple t : (after == null ? sorted : sorted.tailMap(after, false)).values()) {
          out.add(t);
          if (out.size() > page.pageSize()) {
            break;
          }
        }
      } else {
        for (RelationTuple t : (after == null ? byHash : byHash.tailMap(after, false)).values()) {
          if (q.matches(t)) {
            out.add(t);
            if (out.size() > page.pageSize()) {
              break;
            }
          }
        }
      }
      return Page.fromOverfetch(out, page.pageSize(), TupleKeys::hash);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** An index bucket that holds every match, or null to scan everything. */
  private Collection<RelationTuple> candidates(RelationQuery q) {
    if (q.namespace() != null && q.object() != null && q.relation() != null) {
      return byObject.getOrDefault(new SubjectSet(q.namespace(), q.object(), q.relation()), Set.of());
    }
    if (q.subject() != null) {
      return bySubject.getOrDefault(q.subject(), Set.of());
    }
    return null;
  }

  @Override
  public List<SubjectSet> subjectSetsOf(SubjectSet set, int limit) {
    lock.readLock().lock();
    try {
      List<SubjectSet> out = new ArrayList<>();
      for (RelationTuple t : byObject.getOrDefault(set, Set.of())) {
        if (t.subject() instanceof SubjectSet s) {
          out.add(s);
          if (out.size() >= limit) {
            break;
          }
        }
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public int delete(RelationQuery q) {
    if (q.isEmpty()) {
      throw OryException.badRequest("Refusing to delete every relation tuple: set at least one filter.");
    }
    lock.writeLock().lock();
    try {
      List<RelationTuple> matches = new ArrayList<>();
      Collection<RelationTuple> candidates = candidates(q);
      for (RelationTuple t : candidates == null ? byHash.values() : candidates) {
        if (q.matches(t)) {
          matches.add(t);
        }
      }
      write(List.of(), matches);
      return matches.size();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
