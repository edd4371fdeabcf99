package io.ory4j.core.jdbc.migrate;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SQL migration file: {@code V<version>__<description>.sql}, as Flyway names them.
 *
 * @param module the ory4j module that owns it, such as {@code oauth2}
 * @param version the version, from 1
 * @param description the description, underscores turned to spaces
 * @param sql the file's content
 * @param checksum the SHA-256 of the content, hex
 */
public record Migration(String module, int version, String description, String sql, String checksum) {

  private static final Pattern NAME = Pattern.compile("^V(\\d+)__([A-Za-z0-9_\\-]+)\\.sql$");

  public Migration {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(sql, "sql");
    Objects.requireNonNull(checksum, "checksum");
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1");
    }
  }

  /** Parses a file name into its version and description, or returns null when it is not a migration name. */
  static int @org.jspecify.annotations.Nullable [] parseVersion(String fileName) {
    Matcher m = NAME.matcher(fileName);
    return m.matches() ? new int[] {Integer.parseInt(m.group(1))} : null;
  }

  static String parseDescription(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a migration file name: " + fileName);
    }
    return m.group(2).replace('_', ' ');
  }
}
