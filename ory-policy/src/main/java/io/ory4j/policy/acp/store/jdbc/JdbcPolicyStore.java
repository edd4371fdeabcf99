package io.ory4j.policy.acp.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.json.OryJson;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.internal.AcpJson;
import io.ory4j.policy.acp.spi.PolicyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Policies in a SQL database (H2, PostgreSQL, MariaDB/MySQL) migrated with {@code new Migrator(ds).migrate("policy")}.
 * Each write runs in one transaction that also raises the flavor's revision.
 */
public final class JdbcPolicyStore implements PolicyStore {

  private static final String KIND = "policy";

  private final Jdbc jdbc;
  private final OryJson json;
  private final AcpJson codec;

  public JdbcPolicyStore(Jdbc jdbc) {
    this(jdbc, OryJson.create());
  }

  public JdbcPolicyStore(Jdbc jdbc, OryJson json) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.json = Objects.requireNonNull(json, "json");
    this.codec = new AcpJson(json.mapper());
  }

  @Override
  public void upsert(Flavor flavor, Policy policy) {
    String doc = json.write(codec.write(policy));
    jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      tx.update("DELETE FROM ory4j_acp_policy_term WHERE flavor = ? AND policy_id = ?", flavor.name(), policy.id());
      tx.update("DELETE FROM ory4j_acp_policy WHERE flavor = ? AND id = ?", flavor.name(), policy.id());
      tx.update("INSERT INTO ory4j_acp_policy (flavor, id, document) VALUES (?, ?, ?)", flavor.name(), policy.id(),
          doc);
      List<Object[]> terms = new ArrayList<>();
      policy.subjects().forEach(s -> terms.add(new Object[] {flavor.name(), policy.id(), "s", s}));
      policy.resources().forEach(s -> terms.add(new Object[] {flavor.name(), policy.id(), "r", s}));
      policy.actions().forEach(s -> terms.add(new Object[] {flavor.name(), policy.id(), "a", s}));
      if (!terms.isEmpty()) {
        tx.batch("INSERT INTO ory4j_acp_policy_term (flavor, policy_id, kind, term) VALUES (?, ?, ?, ?)", terms);
      }
      return null;
    });
  }

  @Override
  public Optional<Policy> find(Flavor flavor, String id) {
    return jdbc.queryOne("SELECT document FROM ory4j_acp_policy WHERE flavor = ? AND id = ?",
        row -> read(row.requireString("document")), flavor.name(), id);
  }

  @Override
  public boolean delete(Flavor flavor, String id) {
    return jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      tx.update("DELETE FROM ory4j_acp_policy_term WHERE flavor = ? AND policy_id = ?", flavor.name(), id);
      return tx.update("DELETE FROM ory4j_acp_policy WHERE flavor = ? AND id = ?", flavor.name(), id) > 0;
    });
  }

  @Override
  public List<Policy> list(Flavor flavor, PolicyFilter filter, int limit, int offset) {
    StringBuilder sql = new StringBuilder("SELECT p.document FROM ory4j_acp_policy p WHERE p.flavor = ?");
    List<Object> params = new ArrayList<>();
    params.add(flavor.name());
    term(sql, params, "s", filter.subject());
    term(sql, params, "r", filter.resource());
    term(sql, params, "a", filter.action());
    sql.append(AcpSql.orderBy(jdbc.dialect(), "p.id")).append(" LIMIT ? OFFSET ?");
    params.add(limit);
    params.add(offset);
    return jdbc.query(sql.toString(), row -> read(row.requireString("document")), params.toArray());
  }

  private static void term(StringBuilder sql, List<Object> params, String kind, String value) {
    if (value != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM ory4j_acp_policy_term t WHERE t.flavor = p.flavor AND t.policy_id = p.id"
          + " AND t.kind = ? AND t.term = ?)");
      params.add(kind);
      params.add(value);
    }
  }

  @Override
  public List<Policy> all(Flavor flavor) {
    return jdbc.query("SELECT document FROM ory4j_acp_policy WHERE flavor = ?" + AcpSql.orderBy(jdbc.dialect(), "id"),
        row -> read(row.requireString("document")), flavor.name());
  }

  @Override
  public long revision(Flavor flavor) {
    return AcpSql.revision(jdbc, flavor, KIND);
  }

  private Policy read(String document) {
    return codec.readPolicy(json.readTree(document));
  }
}
