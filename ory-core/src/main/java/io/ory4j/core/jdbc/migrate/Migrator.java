package io.ory4j.core.jdbc.migrate;

import io.ory4j.core.jdbc.Dialect;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each module's SQL migrations, as {@code hydra migrate sql} does for Hydra.
 *
 * <p>Migrations live on the classpath at {@code db/migration/<module>/<dialect>/V<n>__<description>.sql}, where the
 * dialect folder is {@code h2}, {@code postgres} or {@code mysql}; a host that runs Flyway can point it at the same
 * folders instead. Applied versions are recorded per module in {@code ory4j_schema_version}. A database lock
 * ({@code pg_advisory_lock}, MySQL's {@code GET_LOCK}, a lock row on H2) makes two processes that start at once
 * apply each migration exactly once. A database whose schema is newer than the code is refused with a clear error.
 */
public final class Migrator {

  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  static final String VERSION_TABLE = "ory4j_schema_version";
  private static final String LOCK_TABLE = "ory4j_migration_lock";
  private static final long PG_LOCK_KEY = 0x6f7279346a4dL; // "ory4jM"
  private static final Duration LOCK_WAIT = Duration.ofMinutes(2);
  private static final Duration STALE_H2_LOCK = Duration.ofMinutes(10);

  private final DataSource dataSource;
  private final ClassLoader classLoader;
  private final Clock clock;

  public Migrator(DataSource dataSource) {
    this(dataSource, Migrator.class.getClassLoader(), Clock.systemUTC());
  }

  public Migrator(DataSource dataSource, ClassLoader classLoader, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What a run did for one module. */
  public record Result(String module, int fromVersion, int toVersion, List<Integer> applied) {}

  /**
   * Applies the pending migrations of each module, in the order given.
   *
   * @throws MigrationException when a migration fails, or when the database is newer than the code
   */
  public List<Result> migrate(String... modules) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.detect(c);
      lock(c, dialect);
      try {
        ensureVersionTable(c, dialect);
        List<Result> results = new ArrayList<>();
        for (String module : modules) {
          results.add(migrateModule(c, dialect, module));
        }
        return results;
      } finally {
        unlock(c, dialect);
      }
    } catch (SQLException e) {
      throw new MigrationException("Database migration failed: " + e.getMessage(), e);
    }
  }

  /** The migrations of {@code module} for {@code dialect} found on the classpath, by version. */
  public List<Migration> available(String module, Dialect dialect) {
    String dir = "db/migration/" + module + "/" + dialect.folder();
    Map<Integer, Migration> byVersion = new TreeMap<>();
    try {
      Enumeration<URL> roots = classLoader.getResources(dir);
      while (roots.hasMoreElements()) {
        URL root = roots.nextElement();
        for (String name : list(root, dir)) {
          int[] v = Migration.parseVersion(name);
          if (v == null) {
            continue;
          }
          String sql = read(dir + "/" + name);
          Migration m = new Migration(module, v[0], Migration.parseDescription(name), sql, sha256(sql));
          Migration previous = byVersion.put(v[0], m);
          if (previous != null && !previous.checksum().equals(m.checksum())) {
            throw new MigrationException("Two different migrations have version " + v[0] + " in " + dir, null);
          }
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw new MigrationException("Could not list migrations in " + dir + ": " + e.getMessage(), e);
    }
    return List.copyOf(byVersion.values());
  }

  /** The versions of {@code module} recorded as applied. */
  public List<Integer> applied(String module) {
    try (Connection c = dataSource.getConnection()) {
      ensureVersionTable(c, Dialect.detect(c));
      return appliedVersions(c, module).keySet().stream().sorted().toList();
    } catch (SQLException e) {
      throw new MigrationException("Could not read the schema version: " + e.getMessage(), e);
    }
  }

  private Result migrateModule(Connection c, Dialect dialect, String module) throws SQLException {
    List<Migration> available = available(module, dialect);
    Map<Integer, String> applied = appliedVersions(c, module);
    int codeVersion = available.isEmpty() ? 0 : available.get(available.size() - 1).version();
    int dbVersion = applied.keySet().stream().max(Comparator.naturalOrder()).orElse(0);
    if (dbVersion > codeVersion) {
      throw new MigrationException("The database schema of module \"" + module + "\" is at version " + dbVersion
          + ", newer than this code's version " + codeVersion + ". Refusing to run: upgrade ory4j to a version that "
          + "knows this schema.", null);
    }
    List<Integer> done = new ArrayList<>();
    for (Migration m : available) {
      String checksum = applied.get(m.version());
      if (checksum != null) {
        if (!checksum.equals(m.checksum())) {
          log.warn("migration V{} of module {} changed after it was applied", m.version(), module);
        }
        continue;
      }
      log.info("applying migration {} V{} ({}) on {}", module, m.version(), m.description(), dialect);
      apply(c, dialect, m);
      done.add(m.version());
    }
    return new Result(module, dbVersion, Math.max(dbVersion, done.isEmpty() ? dbVersion : done.get(done.size() - 1)),
        List.copyOf(done));
  }

  private void apply(Connection c, Dialect dialect, Migration m) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement st = c.createStatement()) {
      for (String sql : SqlScript.split(m.sql())) {
        st.execute(sql);
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + VERSION_TABLE
          + " (module, version, description, checksum, installed_at) VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, m.module());
        ps.setInt(2, m.version());
        ps.setString(3, m.description());
        ps.setString(4, m.checksum());
        ps.setTimestamp(5, Timestamp.from(clock.instant()), Calendar.getInstance(TimeZone.getTimeZone("UTC")));
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw new MigrationException("Migration V" + m.version() + " (" + m.description() + ") of module \""
          + m.module() + "\" failed on " + dialect + ": " + e.getMessage()
          + (dialect == Dialect.MYSQL ? " (MySQL commits DDL at once: check the schema before retrying)" : ""), e);
    } finally {
      c.setAutoCommit(auto);
    }
  }

  private static Map<Integer, String> appliedVersions(Connection c, String module) throws SQLException {
    Map<Integer, String> out = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT version, checksum FROM " + VERSION_TABLE + " WHERE module = ?")) {
      ps.setString(1, module);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  private static void ensureVersionTable(Connection c, Dialect dialect) throws SQLException {
    String ts = dialect == Dialect.MYSQL ? "DATETIME(6)" : "TIMESTAMP";
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + VERSION_TABLE + " (module VARCHAR(64) NOT NULL, version INT NOT NULL, "
          + "description VARCHAR(255) NOT NULL, checksum VARCHAR(64) NOT NULL, installed_at " + ts + " NOT NULL, "
          + "PRIMARY KEY (module, version))");
    }
  }

  private void lock(Connection c, Dialect dialect) throws SQLException {
    switch (dialect) {
      case POSTGRES -> {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_lock(" + PG_LOCK_KEY + ")");
        }
      }
      case MYSQL -> {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT GET_LOCK('ory4j_migrations', " + LOCK_WAIT.toSeconds() + ")")) {
          if (!rs.next() || rs.getInt(1) != 1) {
            throw new MigrationException("Timed out waiting for another process's database migration.", null);
          }
        }
      }
      case H2 -> lockH2(c);
    }
  }

  private void lockH2(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + LOCK_TABLE + " (id INT PRIMARY KEY, locked_at TIMESTAMP NOT NULL)");
    }
    Instant deadline = clock.instant().plus(LOCK_WAIT);
    while (true) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + LOCK_TABLE + " (id, locked_at) VALUES (1, ?)")) {
        ps.setTimestamp(1, Timestamp.from(clock.instant()));
        ps.executeUpdate();
        return;
      } catch (SQLException e) {
        if (!Dialect.isUniqueViolation(e)) {
          throw e;
        }
      }
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + LOCK_TABLE + " WHERE id = 1 AND locked_at < ?")) {
        ps.setTimestamp(1, Timestamp.from(clock.instant().minus(STALE_H2_LOCK)));
        if (ps.executeUpdate() > 0) {
          log.warn("removed a stale migration lock older than {}", STALE_H2_LOCK);
          continue;
        }
      }
      if (clock.instant().isAfter(deadline)) {
        throw new MigrationException("Timed out waiting for another process's database migration.", null);
      }
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MigrationException("Interrupted while waiting for the migration lock.", e);
      }
    }
  }

  private static void unlock(Connection c, Dialect dialect) {
    try (Statement st = c.createStatement()) {
      switch (dialect) {
        case POSTGRES -> st.execute("SELECT pg_advisory_unlock(" + PG_LOCK_KEY + ")");
        case MYSQL -> st.execute("SELECT RELEASE_LOCK('ory4j_migrations')");
        case H2 -> st.execute("DELETE FROM " + LOCK_TABLE + " WHERE id = 1");
      }
    } catch (SQLException e) {
      log.warn("could not release the migration lock: {}", e.getMessage());
    }
  }

  private List<String> list(URL root, String dir) throws IOException, URISyntaxException {
    if ("file".equals(root.getProtocol())) {
      try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
        return files.map(p -> p.getFileName().toString()).sorted().toList();
      }
    }
    if ("jar".equals(root.getProtocol())) {
      JarURLConnection conn = (JarURLConnection) root.openConnection();
      conn.setUseCaches(false);
      List<String> names = new ArrayList<>();
      try (JarFile jar = conn.getJarFile()) {
        String prefix = dir + "/";
        Enumeration<JarEntry> entries = jar.entries();
        while (entries.hasMoreElements()) {
          String name = entries.nextElement().getName();
          if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0 && name.length() > prefix.length()) {
            names.add(name.substring(prefix.length()));
          }
        }
      }
      names.sort(Comparator.naturalOrder());
      return names;
    }
    throw new IOException("cannot list classpath resources at " + root);
  }

  private String read(String resource) throws IOException {
    try (InputStream in = classLoader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
