package io.ory4j.policy.relations.store.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Caches the two look-ups a check repeats most, {@link #exists} and {@link #subjectSetsOf}, in front of a slower
 * store (JDBC). Writes through this instance invalidate what they touch at once; a change written by another process
 * is seen after at most {@code maxStaleness}, as the ACP engine bounds its cache. The first page of each
 * {@code namespace:object#relation} (what traversals and expand read) is cached the same way; other listings and the
 * reverse lookup read the store directly.
 *
 * <p>Opt-in: Keto reads its database on every check. Use it when a bounded staleness is acceptable for checks.
 */
public final class CachingRelationTupleStore implements RelationTupleStore {

  private record SetsKey(SubjectSet set, int limit) {}

  private record FindKey(SubjectSet set, int pageSize) {}

  private final RelationTupleStore delegate;
  private final Cache<RelationTuple, Boolean> exists;
  private final Cache<SetsKey, List<SubjectSet>> sets;
  private final Cache<FindKey, Page<RelationTuple>> firstPages;

  public CachingRelationTupleStore(RelationTupleStore delegate, Duration maxStaleness, long maxEntries, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    Ticker ticker = () -> clock.instant().toEpochMilli() * 1_000_000L;
    this.exists = Caffeine.newBuilder().expireAfterWrite(maxStaleness).maximumSize(maxEntries).ticker(ticker).build();
    this.sets = Caffeine.newBuilder().expireAfterWrite(maxStaleness).maximumSize(maxEntries / 4 + 1).ticker(ticker)
        .build();
    this.firstPages = Caffeine.newBuilder().expireAfterWrite(maxStaleness).maximumSize(maxEntries / 4 + 1)
        .ticker(ticker).build();
  }

  @Override
  public void write(Collection<RelationTuple> insert, Collection<RelationTuple> delete) {
    try {
      delegate.write(insert, delete);
    } finally {
      invalidate(insert);
      invalidate(delete);
    }
  }

  private void invalidate(Collection<RelationTuple> tuples) {
    for (RelationTuple t : tuples) {
      exists.invalidate(t);
      SubjectSet set = t.asSubjectSet();
      sets.asMap().keySet().removeIf(k -> k.set().equals(set));
      firstPages.asMap().keySet().removeIf(k -> k.set().equals(set));
    }
  }

  @Override
  public boolean exists(RelationTuple tuple) {
    return exists.get(tuple, delegate::exists);
  }

  /** The first page of {@code namespace:object#relation} (what traversals and expand read) is cached too. */
  @Override
  public Page<RelationTuple> find(RelationQuery query, PageRequest page) {
    if (query.namespace() != null && query.object() != null && query.relation() != null && query.subject() == null
        && page.pageToken() == null) {
      return firstPages.get(new FindKey(new SubjectSet(query.namespace(), query.object(), query.relation()),
          page.pageSize()), k -> delegate.find(query, page));
    }
    return delegate.find(query, page);
  }

  @Override
  public List<SubjectSet> subjectSetsOf(SubjectSet set, int limit) {
    return sets.get(new SetsKey(set, limit), k -> List.copyOf(delegate.subjectSetsOf(k.set(), k.limit())));
  }

  @Override
  public int delete(RelationQuery query) {
    try {
      return delegate.delete(query);
    } finally {
      exists.invalidateAll();
      sets.invalidateAll();
      firstPages.invalidateAll();
    }
  }
}
