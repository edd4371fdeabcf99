package io.ory4j.testkit.relations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.store.jdbc.JdbcRelationTupleStore;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class JdbcRelationTupleStoreTest extends RelationTupleStoreContract {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @Override
  protected RelationTupleStore newStore() {
    db = database.open().migrate("relations");
    return new JdbcRelationTupleStore(db.jdbc());
  }

  @AfterEach
  void drop() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void writeWhenParallelPatchesOverlapThenEveryTupleOnceAndNoneLost() throws Exception {
    RelationTupleStore store = newStore();
    int writers = 4;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int me = w;
        futures.add(pool.submit(() -> {
          start.await(30, TimeUnit.SECONDS);
          List<RelationTuple> batch = new ArrayList<>();
          for (int i = 0; i < 20; i++) {
            batch.add(RelationTuple.of("doc", "shared" + i, "owner", "u"));
            batch.add(RelationTuple.of("doc", "own" + me + "-" + i, "owner", "u"));
          }
          store.write(batch, List.of());
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20 + writers * 20, store.find(RelationQuery.all(), new PageRequest(1000, null)).items().size());
  }
}
