package io.ory4j.testkit.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.migrate.Migrator;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A database made for one test; dropped on {@link #close()}. */
public final class EphemeralDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EphemeralDatabase.class);

  /** Drops the database. */
  @FunctionalInterface
  interface Dropper {
    void drop() throws SQLException;
  }

  private final TestDatabase kind;
  private final String name;
  private final DataSource dataSource;
  private final Dropper dropper;

  EphemeralDatabase(TestDatabase kind, String name, DataSource dataSource, Dropper dropper) {
    this.kind = kind;
    this.name = name;
    this.dataSource = dataSource;
    this.dropper = dropper;
  }

  public TestDatabase kind() {
    return kind;
  }

  public String name() {
    return name;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** A {@link Jdbc} helper on this database. */
  public Jdbc jdbc() {
    return new Jdbc(dataSource);
  }

  /** Applies the migrations of {@code modules} and returns this database. */
  public EphemeralDatabase migrate(String... modules) {
    new Migrator(dataSource).migrate(modules);
    return this;
  }

  @Override
  public void close() {
    try {
      dropper.drop();
    } catch (SQLException e) {
      log.warn("could not drop test database {}: {}", name, e.getMessage());
    }
  }
}
