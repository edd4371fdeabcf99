package io.ory4j.policy.acp.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.SqlOps;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.spi.RoleStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Roles in a SQL database (H2, PostgreSQL, MariaDB/MySQL) migrated with {@code new Migrator(ds).migrate("policy")}.
 * Each write runs in one transaction that also raises the flavor's revision.
 */
public final class JdbcRoleStore implements RoleStore {

  private static final String KIND = "role";

  private final Jdbc jdbc;

  public JdbcRoleStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void upsert(Flavor flavor, Role role) {
    jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      write(tx, flavor, role, true);
      return null;
    });
  }

  private static void write(Jdbc.Tx tx, Flavor flavor, Role role, boolean replaceRow) {
    tx.update("DELETE FROM ory4j_acp_role_member WHERE flavor = ? AND role_id = ?", flavor.name(), role.id());
    if (replaceRow) {
      tx.update("DELETE FROM ory4j_acp_role WHERE flavor = ? AND id = ?", flavor.name(), role.id());
      tx.update("INSERT INTO ory4j_acp_role (flavor, id) VALUES (?, ?)", flavor.name(), role.id());
    }
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < role.members().size(); i++) {
      rows.add(new Object[] {flavor.name(), role.id(), i, role.members().get(i)});
    }
    if (!rows.isEmpty()) {
      tx.batch("INSERT INTO ory4j_acp_role_member (flavor, role_id, ordinal, subject) VALUES (?, ?, ?, ?)", rows);
    }
  }

  @Override
  public Optional<Role> find(Flavor flavor, String id) {
    return find(jdbc, flavor, id);
  }

  private static Optional<Role> find(SqlOps ops, Flavor flavor, String id) {
    boolean exists = ops.queryOne("SELECT id FROM ory4j_acp_role WHERE flavor = ? AND id = ?",
        row -> row.requireString("id"), flavor.name(), id).isPresent();
    if (!exists) {
      return Optional.empty();
    }
    return Optional.of(new Role(id, ops.query("SELECT subject FROM ory4j_acp_role_member WHERE flavor = ? AND "
        + "role_id = ? ORDER BY ordinal", row -> row.requireString("subject"), flavor.name(), id)));
  }

  @Override
  public boolean delete(Flavor flavor, String id) {
    return jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      tx.update("DELETE FROM ory4j_acp_role_member WHERE flavor = ? AND role_id = ?", flavor.name(), id);
      return tx.update("DELETE FROM ory4j_acp_role WHERE flavor = ? AND id = ?", flavor.name(), id) > 0;
    });
  }

  @Override
  public List<Role> list(Flavor flavor, @Nullable String member, int limit, int offset) {
    StringBuilder sql = new StringBuilder("SELECT r.id FROM ory4j_acp_role r WHERE r.flavor = ?");
    List<Object> params = new ArrayList<>();
    params.add(flavor.name());
    if (member != null) {
      sql.append(" AND EXISTS (SELECT 1 FROM ory4j_acp_role_member m WHERE m.flavor = r.flavor AND m.role_id = r.id"
          + " AND m.subject = ?)");
      params.add(member);
    }
    sql.append(AcpSql.orderBy(jdbc.dialect(), "r.id")).append(" LIMIT ? OFFSET ?");
    params.add(limit);
    params.add(offset);
    List<String> ids = jdbc.query(sql.toString(), row -> row.requireString("id"), params.toArray());
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, List<String>> members = new LinkedHashMap<>();
    ids.forEach(id -> members.put(id, new ArrayList<>()));
    List<Object> p = new ArrayList<>();
    p.add(flavor.name());
    p.addAll(ids);
    jdbc.query("SELECT role_id, subject FROM ory4j_acp_role_member WHERE flavor = ? AND role_id IN ("
        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ") ORDER BY role_id, ordinal", row -> {
          members.get(row.requireString("role_id")).add(row.requireString("subject"));
          return null;
        }, p.toArray());
    List<Role> out = new ArrayList<>();
    members.forEach((id, m) -> out.add(new Role(id, m)));
    return out;
  }

  @Override
  public List<Role> all(Flavor flavor) {
    Map<String, List<String>> members = new LinkedHashMap<>();
    jdbc.query("SELECT id FROM ory4j_acp_role WHERE flavor = ?" + AcpSql.orderBy(jdbc.dialect(), "id"), row -> {
      members.put(row.requireString("id"), new ArrayList<>());
      return null;
    }, flavor.name());
    jdbc.query("SELECT role_id, subject FROM ory4j_acp_role_member WHERE flavor = ? ORDER BY role_id, ordinal",
        row -> {
          List<String> m = members.get(row.requireString("role_id"));
          if (m != null) {
            m.add(row.requireString("subject"));
          }
          return null;
        }, flavor.name());
    List<Role> out = new ArrayList<>();
    members.forEach((id, m) -> out.add(new Role(id, m)));
    return out;
  }

  @Override
  public Role addMembers(Flavor flavor, String id, List<String> newMembers) {
    return jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      Optional<Role> existing = find(tx, flavor, id);
      LinkedHashSet<String> m = new LinkedHashSet<>(existing.map(Role::members).orElse(List.of()));
      m.addAll(newMembers);
      Role r = new Role(id, new ArrayList<>(m));
      write(tx, flavor, r, existing.isEmpty());
      return r;
    });
  }

  @Override
  public Optional<Role> removeMember(Flavor flavor, String id, String member) {
    return jdbc.inTransaction(tx -> {
      AcpSql.bump(tx, flavor, KIND);
      Optional<Role> existing = find(tx, flavor, id);
      if (existing.isEmpty()) {
        return Optional.<Role>empty();
      }
      Role r = new Role(id, existing.get().members().stream().filter(x -> !x.equals(member)).toList());
      write(tx, flavor, r, false);
      return Optional.of(r);
    });
  }

  @Override
  public long revision(Flavor flavor) {
    return AcpSql.revision(jdbc, flavor, KIND);
  }
}
