package io.ory4j.testkit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.migrate.MigrationException;
import io.ory4j.core.jdbc.migrate.Migrator;
import io.ory4j.testkit.jdbc.EphemeralDatabase;
import io.ory4j.testkit.jdbc.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Migrations up from empty, idempotence, the concurrent start, and the refusal of a newer schema, on every database. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDatabase.class)
class MigratorTest {

  @Parameter
  TestDatabase database;

  private EphemeralDatabase db;

  @BeforeEach
  void open() {
    db = database.open();
  }

  @AfterEach
  void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void migrateWhenEmptyThenAllVersionsAppliedInOrder() {
    List<Migrator.Result> results = new Migrator(db.dataSource()).migrate("core", "ory4jtest");
    assertEquals(List.of(1), results.get(0).applied());
    assertEquals(List.of(1, 2), results.get(1).applied());
    assertEquals(2, results.get(1).toVersion());
    Jdbc jdbc = db.jdbc();
    assertEquals(List.of("one; with a semicolon", "two"),
        jdbc.query("SELECT label FROM ory4jtest_items ORDER BY id", r -> r.requireString("label")));
    assertEquals(0, jdbc.query("SELECT kid FROM ory4j_jwk", r -> r.requireString("kid")).size());
  }

  @Test
  void migrateWhenRunTwiceThenSecondRunAppliesNothing() {
    new Migrator(db.dataSource()).migrate("ory4jtest");
    List<Migrator.Result> again = new Migrator(db.dataSource()).migrate("ory4jtest");
    assertTrue(again.get(0).applied().isEmpty());
    assertEquals(List.of(1, 2), new Migrator(db.dataSource()).applied("ory4jtest"));
  }

  @Test
  void migrateWhenFourProcessesStartAtOnceThenEachVersionAppliedExactlyOnce() throws Exception {
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<List<Migrator.Result>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<List<Migrator.Result>> task = () -> {
          start.await(30, TimeUnit.SECONDS);
          return new Migrator(db.dataSource()).migrate("core", "ory4jtest");
        };
        futures.add(pool.submit(task));
      }
      int appliedTest = 0;
      int appliedCore = 0;
      for (Future<List<Migrator.Result>> f : futures) {
        List<Migrator.Result> r = f.get(60, TimeUnit.SECONDS);
        appliedCore += r.get(0).applied().size();
        appliedTest += r.get(1).applied().size();
      }
      assertEquals(1, appliedCore);
      assertEquals(2, appliedTest);
      assertEquals(2, db.jdbc().query("SELECT id FROM ory4jtest_items", r -> r.getInt("id")).size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void migrateWhenDatabaseNewerThanCodeThenRefusedWithVersions() {
    new Migrator(db.dataSource()).migrate("ory4jtest");
    db.jdbc().update("INSERT INTO ory4j_schema_version (module, version, description, checksum, installed_at) "
        + "VALUES ('ory4jtest', 9, 'from the future', 'x', ?)", java.time.Instant.parse("2026-01-01T00:00:00Z"));
    MigrationException e = assertThrows(MigrationException.class,
        () -> new Migrator(db.dataSource()).migrate("ory4jtest"));
    assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    assertTrue(e.getMessage().contains("this code's version 2"), e.getMessage());
  }

  @Test
  void availableWhenUnknownModuleThenEmptyAndMigrateIsNoOp() {
    assertTrue(new Migrator(db.dataSource()).migrate("no-such-module").get(0).applied().isEmpty());
  }
}
