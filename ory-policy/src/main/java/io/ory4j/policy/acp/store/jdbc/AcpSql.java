package io.ory4j.policy.acp.store.jdbc;

import io.ory4j.core.jdbc.Dialect;
import io.ory4j.core.jdbc.SqlOps;
import io.ory4j.policy.acp.Flavor;

/** SQL shared by the ACP stores. */
final class AcpSql {

  private AcpSql() {}

  /** Raises the revision of ({@code flavor}, {@code kind}); the row lock also serializes the flavor's writers. */
  static void bump(SqlOps tx, Flavor flavor, String kind) {
    int n = tx.update("UPDATE ory4j_acp_revision SET revision = revision + 1 WHERE flavor = ? AND kind = ?",
        flavor.name(), kind);
    if (n != 1) {
      throw new IllegalStateException("ory4j_acp_revision has no row for " + flavor + "/" + kind
          + "; run the \"policy\" migrations");
    }
  }

  static long revision(SqlOps ops, Flavor flavor, String kind) {
    return ops.queryOne("SELECT revision FROM ory4j_acp_revision WHERE flavor = ? AND kind = ?",
        row -> row.getLong("revision"), flavor.name(), kind).orElse(0L);
  }

  /** {@code ORDER BY column} in code point order on every dialect. */
  static String orderBy(Dialect d, String column) {
    return d == Dialect.POSTGRES ? " ORDER BY " + column + " COLLATE \"C\"" : " ORDER BY " + column;
  }
}
