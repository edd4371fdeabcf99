package io.ory4j.policy.relations.store.jdbc;

import io.ory4j.core.error.OryException;
import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.RowMapper;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.policy.relations.RelationQuery;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.Subject;
import io.ory4j.policy.relations.SubjectId;
import io.ory4j.policy.relations.SubjectSet;
import io.ory4j.policy.relations.spi.RelationTupleStore;
import io.ory4j.policy.relations.spi.TupleKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A {@link RelationTupleStore} on table {@code ory4j_relation_tuples} (migrations of module {@code relations}). Every
 * lookup a check needs is an equality on an indexed hash column; a patch is one transaction.
 */
public final class JdbcRelationTupleStore implements RelationTupleStore {

  private static final String COLUMNS = "tuple_hash, namespace, object, relation, subject_id, subject_set_namespace, "
      + "subject_set_object, subject_set_relation";
  private static final RowMapper<RelationTuple> MAPPER = r -> {
    String id = r.string("subject_id");
    Subject s = id != null ? new SubjectId(id) : new SubjectSet(r.requireString("subject_set_namespace"),
        r.requireString("subject_set_object"), r.string("subject_set_relation"));
    return new RelationTuple(r.requireString("namespace"), r.requireString("object"), r.requireString("relation"), s);
  };

  private final Jdbc jdbc;

  public JdbcRelationTupleStore(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public void write(Collection<RelationTuple> insert, Collection<RelationTuple> delete) {
    if (insert.isEmpty() && delete.isEmpty()) {
      return;
    }
    try {
      writeOnce(insert, delete);
    } catch (io.ory4j.core.storage.DuplicateException race) {
      // another writer inserted one of our tuples between our look-up and our insert: the retry skips it
      writeOnce(insert, delete);
    }
  }

  private void writeOnce(Collection<RelationTuple> insert, Collection<RelationTuple> delete) {
    jdbc.inTransaction(tx -> {
      if (!delete.isEmpty()) {
        List<Object[]> rows = new ArrayList<>();
        for (RelationTuple t : delete) {
          rows.add(new Object[] {TupleKeys.hash(t)});
        }
        tx.batch("DELETE FROM ory4j_relation_tuples WHERE tuple_hash = ?", rows);
      }
      // idempotent insert without dialect-specific upserts: skip what exists (the primary key guards races)
      java.util.Map<String, RelationTuple> pending = new java.util.LinkedHashMap<>();
      for (RelationTuple t : insert) {
        pending.putIfAbsent(TupleKeys.hash(t), t);
      }
      List<String> hashes = new ArrayList<>(pending.keySet());
      for (int from = 0; from < hashes.size(); from += 500) {
        List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + 500));
        String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
        tx.query("SELECT tuple_hash FROM ory4j_relation_tuples WHERE tuple_hash IN (" + marks + ")",
            r -> r.requireString("tuple_hash"), chunk.toArray()).forEach(pending::remove);
      }
      List<Object[]> rows = new ArrayList<>(pending.size());
      for (java.util.Map.Entry<String, RelationTuple> e : pending.entrySet()) {
        RelationTuple t = e.getValue();
        SubjectSet set = t.subject() instanceof SubjectSet s ? s : null;
        rows.add(new Object[] {e.getKey(), TupleKeys.setHash(t.namespace(), t.object(), t.relation()),
            TupleKeys.subjectHash(t.subject()), t.namespace(), t.object(), t.relation(),
            t.subject() instanceof SubjectId id ? id.id() : null,
            set == null ? null : set.namespace(), set == null ? null : set.object(),
            set == null ? null : set.relation()});
      }
      if (!rows.isEmpty()) {
        tx.batch("INSERT INTO ory4j_relation_tuples (tuple_hash, set_hash, subject_hash, namespace, object, relation, "
            + "subject_id, subject_set_namespace, subject_set_object, subject_set_relation) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
      }
      return null;
    });
  }

  @Override
  public boolean exists(RelationTuple tuple) {
    return jdbc.queryOne("SELECT tuple_hash FROM ory4j_relation_tuples WHERE tuple_hash = ?", r -> r.string(
        "tuple_hash"), TupleKeys.hash(tuple)).isPresent();
  }

  @Override
  public Page<RelationTuple> find(RelationQuery q, PageRequest page) {
    List<Object> params = new ArrayList<>();
    StringBuilder where = where(q, params);
    if (page.pageToken() != null) {
      where.append(where.length() == 0 ? " WHERE " : " AND ").append("tuple_hash > ?");
      params.add(PageToken.decode(page.pageToken()));
    }
    String limit = " ORDER BY tuple_hash LIMIT " + (page.pageSize() + 1);
    List<RelationTuple> rows = jdbc.query("SELECT " + COLUMNS + " FROM ory4j_relation_tuples" + where + limit, MAPPER,
        params.toArray());
    return Page.fromOverfetch(rows, page.pageSize(), TupleKeys::hash);
  }

  private static StringBuilder where(RelationQuery q, List<Object> params) {
    List<String> clauses = new ArrayList<>();
    if (q.namespace() != null && q.object() != null && q.relation() != null) {
      clauses.add("set_hash = ?");
      params.add(TupleKeys.setHash(q.namespace(), q.object(), q.relation()));
    } else {
      if (q.namespace() != null) {
        clauses.add("namespace = ?");
        params.add(q.namespace());
      }
      if (q.object() != null) {
        clauses.add("object = ?");
        params.add(q.object());
      }
      if (q.relation() != null) {
        clauses.add("relation = ?");
        params.add(q.relation());
      }
    }
    if (q.subject() != null) {
      clauses.add("subject_hash = ?");
      params.add(TupleKeys.subjectHash(q.subject()));
    }
    return new StringBuilder(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses));
  }

  @Override
  public List<SubjectSet> subjectSetsOf(SubjectSet set, int limit) {
    return jdbc.query("SELECT subject_set_namespace, subject_set_object, subject_set_relation FROM "
            + "ory4j_relation_tuples WHERE set_hash = ? AND subject_id IS NULL ORDER BY tuple_hash LIMIT " + limit,
        r -> new SubjectSet(r.requireString("subject_set_namespace"), r.requireString("subject_set_object"),
            r.string("subject_set_relation")),
        TupleKeys.setHash(set.namespace(), set.object(), set.relation()));
  }

  @Override
  public int delete(RelationQuery q) {
    if (q.isEmpty()) {
      throw OryException.badRequest("Refusing to delete every relation tuple: set at least one filter.");
    }
    List<Object> params = new ArrayList<>();
    StringBuilder where = where(q, params);
    return jdbc.update("DELETE FROM ory4j_relation_tuples" + where, params.toArray());
  }
}
