package io.ory4j.testkit.jdbc;

import io.ory4j.core.jdbc.SimpleDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases a JDBC suite runs on. {@link #open()} makes a fresh, empty database for one test and drops it on
 * close, so tests never see each other's rows and suites may run in parallel.
 *
 * <p>H2 always runs, in memory. PostgreSQL and MariaDB run when {@code ORY4J_TEST_POSTGRES_URL} and
 * {@code ORY4J_TEST_MYSQL_URL} hold a JDBC URL of a server where the user may create databases (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres} and
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}); otherwise their tests are skipped with the reason, except
 * under {@code CI=true}, where a missing database fails the test.
 */
public enum TestDatabase {
  H2(null),
  POSTGRES("ORY4J_TEST_POSTGRES_URL"),
  MARIADB("ORY4J_TEST_MYSQL_URL");

  private final String envVar;

  TestDatabase(String envVar) {
    this.envVar = envVar;
  }

  /** The environment variable that enables this database, or null for H2. */
  public String envVar() {
    return envVar;
  }

  /** True when this database can run here. */
  public boolean available() {
    return envVar == null || notBlank(System.getenv(envVar));
  }

  /**
   * A fresh empty database. Skips the current test (or fails it under {@code CI=true}) when this database is not
   * configured.
   */
  public EphemeralDatabase open() {
    if (!available()) {
      String reason = name() + " suite skipped: set " + envVar + " to a JDBC URL to run it";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true but " + envVar + " is not set: refusing to skip the " + name() + " suite");
      }
      Assumptions.abort(reason);
    }
    String name = "ory4j_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    try {
      return switch (this) {
        case H2 -> {
          String url = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
          yield new EphemeralDatabase(this, name, new SimpleDataSource(url, new Properties()), () -> {
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
              st.execute("SHUTDOWN");
            }
          });
        }
        case POSTGRES, MARIADB -> openServer(name);
      };
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database on " + this + ": " + e.getMessage(), e);
    }
  }

  private EphemeralDatabase openServer(String name) throws SQLException {
    String adminUrl = System.getenv(envVar);
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    String url = replaceDatabase(adminUrl, name);
    return new EphemeralDatabase(this, name, new SimpleDataSource(url, new Properties()), () -> {
      try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
        if (this == POSTGRES) {
          st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } else {
          st.execute("DROP DATABASE IF EXISTS " + name);
        }
      }
    });
  }

  /** Replaces the database name in a {@code jdbc:<driver>://host:port/db?params} URL. */
  static String replaceDatabase(String url, String db) {
    int scheme = url.indexOf("://");
    if (scheme < 0) {
      throw new IllegalArgumentException("expected a jdbc:<driver>://host/db URL");
    }
    int slash = url.indexOf('/', scheme + 3);
    int q = url.indexOf('?');
    String head = slash < 0 ? (q < 0 ? url : url.substring(0, q)) : url.substring(0, slash);
    String tail = q < 0 ? "" : url.substring(q);
    return head + "/" + db + tail;
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }

  @Override
  public String toString() {
    return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
  }
}
