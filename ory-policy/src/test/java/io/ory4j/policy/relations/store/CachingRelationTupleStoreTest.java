package io.ory4j.policy.relations.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.store.cache.CachingRelationTupleStore;
import io.ory4j.policy.relations.store.memory.InMemoryRelationTupleStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CachingRelationTupleStoreTest {

  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final Clock clock = new Clock() {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private final InMemoryRelationTupleStore shared = new InMemoryRelationTupleStore();
  private final CachingRelationTupleStore mine = new CachingRelationTupleStore(shared, Duration.ofSeconds(1), 10_000,
      clock);
  private final RelationTuple t = RelationTuple.parse("doc:a#viewer@alice");
  private final RelationTuple viaGroup = RelationTuple.parse("doc:a#viewer@group:g#member");

  @Test
  void writeWhenThroughThisStoreThenSeenAtOnce() {
    assertFalse(mine.exists(t));
    mine.write(List.of(t, viaGroup), List.of());
    assertTrue(mine.exists(t));
    assertEquals(List.of(new SubjectSet("group", "g", "member")), mine.subjectSetsOf(new SubjectSet("doc", "a",
        "viewer"), 10));
    mine.write(List.of(), List.of(t, viaGroup));
    assertFalse(mine.exists(t));
    assertTrue(mine.subjectSetsOf(new SubjectSet("doc", "a", "viewer"), 10).isEmpty());
  }

  @Test
  void writeWhenByAnotherProcessThenSeenWithinTheStalenessBound() {
    assertFalse(mine.exists(t));
    shared.write(List.of(t), List.of());
    assertFalse(mine.exists(t), "cached for up to the bound");
    now.set(now.get().plus(Duration.ofMillis(1001)));
    assertTrue(mine.exists(t), "seen once the bound has passed");
  }

  @Test
  void findFirstPageWhenWrittenThroughThenFresh() {
    var q = io.ory4j.policy.relations.RelationQuery.of("doc", "a", "viewer");
    assertTrue(mine.find(q, io.ory4j.core.storage.PageRequest.first()).items().isEmpty());
    mine.write(List.of(t), List.of());
    assertEquals(List.of(t), mine.find(q, io.ory4j.core.storage.PageRequest.first()).items());
  }

  @Test
  void deleteByQueryWhenCalledThenCacheDropped() {
    mine.write(List.of(t), List.of());
    assertTrue(mine.exists(t));
    assertEquals(1, mine.delete(new RelationQuery("doc", null, null, null)));
    assertFalse(mine.exists(t));
  }
}
