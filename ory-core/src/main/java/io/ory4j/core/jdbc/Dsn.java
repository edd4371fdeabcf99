package io.ory4j.core.jdbc;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A data source name in Ory's forms, turned into a JDBC URL:
 * <ul>
 *   <li>{@code memory}: the in-memory stores (no JDBC);
 *   <li>{@code postgres://user:password@host:5432/db?sslmode=disable} (also {@code postgresql://});
 *   <li>{@code mysql://user:password@tcp(host:3306)/db?parseTime=true} (Go's driver form, as Ory documents it) and
 *       {@code mysql://user:password@host:3306/db};
 *   <li>{@code h2:file:./data/ory4j} or {@code h2:mem:name};
 *   <li>any {@code jdbc:} URL, passed through.
 * </ul>
 * {@link #toString()} hides the password.
 */
public final class Dsn {

  private static final Pattern GO_MYSQL =
      Pattern.compile("^mysql://(?:([^:@]*)(?::([^@]*))?@)?(?:tcp\\(([^)]+)\\))?/([^?]*)(?:\\?(.*))?$");

  private final String raw;
  private final @Nullable String jdbcUrl;
  private final @Nullable String user;
  private final @Nullable String password;

  private Dsn(String raw, @Nullable String jdbcUrl, @Nullable String user, @Nullable String password) {
    this.raw = raw;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
  }

  /**
   * Parses a DSN.
   *
   * @throws IllegalArgumentException naming the problem, when the DSN has no supported form
   */
  public static Dsn parse(String dsn) {
    Objects.requireNonNull(dsn, "dsn");
    String s = dsn.trim();
    if (s.equals("memory") || s.startsWith("memory:") || s.startsWith("sqlite://file::memory:")) {
      return new Dsn(s, null, null, null);
    }
    if (s.startsWith("jdbc:")) {
      return new Dsn(s, s, null, null);
    }
    if (s.startsWith("h2:")) {
      String rest = s.substring(3);
      String url = "jdbc:h2:" + rest;
      if (rest.startsWith("file:") && !rest.contains("AUTO_SERVER") && !rest.contains("DB_CLOSE_ON_EXIT")) {
        url += ";AUTO_SERVER=TRUE";
      } else if (rest.startsWith("mem:") && !rest.contains("DB_CLOSE_DELAY")) {
        url += ";DB_CLOSE_DELAY=-1";
      }
      if (!rest.contains("LOB_TIMEOUT")) {
        // H2 keeps every CLOB a pooled connection has read for LOB_TIMEOUT (5 minutes by default), which under load
        // holds hundreds of MiB; the stores read each value at once, so seconds are enough
        url += ";LOB_TIMEOUT=5000";
      }
      return new Dsn(s, url, null, null);
    }
    if (s.startsWith("postgres://") || s.startsWith("postgresql://") || s.startsWith("cockroach://")) {
      URI uri = uri(s);
      String[] userInfo = userInfo(uri);
      String host = uri.getHost() == null ? "localhost" : uri.getHost();
      int port = uri.getPort() == -1 ? 5432 : uri.getPort();
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
      Map<String, String> params = query(uri.getRawQuery());
      StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/')
          .append(db);
      String sslmode = params.get("sslmode");
      if (sslmode != null) {
        url.append("?sslmode=").append(sslmode);
      }
      return new Dsn(s, url.toString(), userInfo[0], userInfo[1]);
    }
    if (s.startsWith("mysql://")) {
      Matcher m = GO_MYSQL.matcher(s);
      if (m.matches()) {
        String hostPort = m.group(3) == null ? "localhost:3306" : m.group(3);
        String url = "jdbc:mariadb://" + hostPort + "/" + m.group(4);
        return new Dsn(s, url, decode(m.group(1)), decode(m.group(2)));
      }
      URI uri = uri(s);
      String[] userInfo = userInfo(uri);
      int port = uri.getPort() == -1 ? 3306 : uri.getPort();
      String url = "jdbc:mariadb://" + uri.getHost() + ":" + port + uri.getPath();
      return new Dsn(s, url, userInfo[0], userInfo[1]);
    }
    throw new IllegalArgumentException("unsupported DSN scheme in \"" + redact(s)
        + "\"; use memory, postgres://, mysql://, h2:file:..., h2:mem:... or a jdbc: URL");
  }

  /** True for {@code memory}: use the in-memory stores. */
  public boolean isMemory() {
    return jdbcUrl == null;
  }

  /** The JDBC URL (not for {@code memory}). */
  public String jdbcUrl() {
    if (jdbcUrl == null) {
      throw new IllegalStateException("DSN memory has no JDBC URL");
    }
    return jdbcUrl;
  }

  public @Nullable String user() {
    return user;
  }

  public @Nullable String password() {
    return password;
  }

  @Override
  public String toString() {
    return redact(raw);
  }

  private static String redact(String s) {
    return s.replaceAll("(://[^:/@]*:)[^@]*@", "$1***@");
  }

  private static URI uri(String s) {
    try {
      return URI.create(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the DSN \"" + redact(s) + "\" is not a valid URL");
    }
  }

  private static String[] userInfo(URI uri) {
    String info = uri.getRawUserInfo();
    if (info == null) {
      return new String[] {null, null};
    }
    int i = info.indexOf(':');
    return i < 0 ? new String[] {decode(info), null}
        : new String[] {decode(info.substring(0, i)), decode(info.substring(i + 1))};
  }

  private static @Nullable String decode(@Nullable String s) {
    return s == null ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, String> query(@Nullable String q) {
    Map<String, String> m = new LinkedHashMap<>();
    if (q != null) {
      for (String kv : q.split("&")) {
        int i = kv.indexOf('=');
        if (i > 0) {
          m.put(kv.substring(0, i), decode(kv.substring(i + 1)));
        }
      }
    }
    return m;
  }
}
