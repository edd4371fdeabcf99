package io.ory4j.benchmarks.relations;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.migrate.Migrator;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.policy.relations.ExpandTree;
import io.ory4j.policy.relations.Permissions;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectId;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.store.jdbc.JdbcRelationTupleStore;
import io.ory4j.policy.relations.store.memory.InMemoryRelationTupleStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Relation-tuple checks on the document-sharing model ({@link DocumentModel}) with {@code tuples} tuples in the
 * {@code store} (memory, h2, or postgres when {@code ORY4J_BENCH_POSTGRES_URL} names an empty database):
 * <ul>
 *   <li>{@code checkDepth1}: a direct tuple ({@code Document:doc-0#owners@user-owner});
 *   <li>{@code checkDepth3}: through a group ({@code Document:doc-1#viewers@user-member});
 *   <li>{@code checkDepth5}: a permission through a folder and a group ({@code Document:doc-2#view@user-member});
 *   <li>{@code checkDeepChain}: a four-level nested group chain;
 *   <li>{@code checkDenied}: a user with no access to a busy document (the whole search runs);
 *   <li>{@code expand}: the fixture group's tree; {@code listObjects}: the documents the fixture member can view.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx8g"})
public class RelationCheckBenchmark {

  @Param({"memory"})
  public String store;

  @Param({"10000"})
  public int tuples;

  private Permissions permissions;
  private AutoCloseable cleanup;
  private final RelationTuple depth1 = RelationTuple.parse("Document:doc-0#owners@user-owner");
  private final RelationTuple depth3 = RelationTuple.parse("Document:doc-1#viewers@user-member");
  private final RelationTuple depth5 = RelationTuple.parse("Document:doc-2#view@user-member");
  private final RelationTuple deepChain = RelationTuple.parse("Group:chain-0#members@user-deep");
  private final RelationTuple denied = RelationTuple.parse("Document:doc-11#view@user-nobody");

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    RelationTupleStore s = switch (store) {
      case "memory" -> new InMemoryRelationTupleStore();
      case "h2" -> jdbc("jdbc:h2:mem:bench" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
      case "postgres" -> jdbc(System.getenv().getOrDefault("ORY4J_BENCH_POSTGRES_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres"));
      case "h2-cached" -> cached(jdbc("jdbc:h2:mem:bench" + System.nanoTime() + ";DB_CLOSE_DELAY=-1"));
      case "postgres-cached" -> cached(jdbc(System.getenv().getOrDefault("ORY4J_BENCH_POSTGRES_URL",
          "jdbc:postgresql://127.0.0.1:5432/test?user=postgres")));
      default -> throw new IllegalArgumentException("unknown store " + store);
    };
    DocumentModel.populate(s, tuples);
    permissions = Permissions.builder().namespaces(DocumentModel.namespaces()).store(s).maxReadDepth(10).build();
    for (RelationTuple t : List.of(depth1, depth3, depth5, deepChain)) {
      if (!permissions.check(t)) {
        throw new IllegalStateException("fixture not allowed: " + t);
      }
    }
  }

  private RelationTupleStore jdbc(String url) throws Exception {
    com.zaxxer.hikari.HikariConfig hc = new com.zaxxer.hikari.HikariConfig();
    hc.setJdbcUrl(url);
    hc.setMaximumPoolSize(4);
    com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(hc);
    AutoCloseable closePool = ds::close;
    cleanup = closePool;
    if (url.startsWith("jdbc:postgresql")) {
      try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
        st.execute("DROP TABLE IF EXISTS ory4j_relation_tuples");
        st.execute("DELETE FROM ory4j_schema_version WHERE module = 'relations'");
      } catch (java.sql.SQLException ignored) {
        // first run: nothing to clean
      }
      cleanup = () -> {
        closePool.close();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
          st.execute("DROP TABLE IF EXISTS ory4j_relation_tuples");
          st.execute("DELETE FROM ory4j_schema_version WHERE module = 'relations'");
        }
      };
    }
    new Migrator(ds).migrate("relations");
    return new JdbcRelationTupleStore(new Jdbc(ds));
  }

  private static RelationTupleStore cached(RelationTupleStore s) {
    return new io.ory4j.policy.relations.store.cache.CachingRelationTupleStore(s, java.time.Duration.ofSeconds(1),
        100_000, java.time.Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (cleanup != null) {
      cleanup.close();
    }
  }

  @Benchmark
  public boolean checkDepth1() {
    return permissions.check(depth1);
  }

  @Benchmark
  public boolean checkDepth3() {
    return permissions.check(depth3);
  }

  @Benchmark
  public boolean checkDepth5() {
    return permissions.check(depth5);
  }

  @Benchmark
  public boolean checkDeepChain() {
    return permissions.check(deepChain);
  }

  @Benchmark
  public boolean checkDenied() {
    return permissions.check(denied);
  }

  @Benchmark
  public ExpandTree expand() {
    return permissions.expand(new SubjectSet("Group", "group-fixture", "members"), 0).orElseThrow();
  }

  @Benchmark
  public int listObjects() {
    return permissions.listObjects("Document", "view", new SubjectId("user-member"), PageRequest.first(100))
        .items().size();
  }
}
