package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.storage.DuplicateException;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.Identity;
import io.ory4j.identity.spi.IdentityStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * An {@link IdentityStore} on tables {@code ory4j_identities} and {@code ory4j_identity_identifiers} (migrations of
 * module {@code identity}). The identifier table's primary key enforces unique identifiers in the database, so two
 * registrations racing for one identifier cannot both succeed.
 */
public final class JdbcIdentityStore implements IdentityStore {

  private final Jdbc jdbc;
  private final OryJson json;

  public JdbcIdentityStore(Jdbc jdbc, OryJson json) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    this.json = Objects.requireNonNull(json, "json");
  }

  @Override
  public void create(Identity identity) {
    jdbc.inTransaction(tx -> {
      tx.update("INSERT INTO ory4j_identities (id, schema_id, document, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
          identity.id().toString(), identity.schemaId(), json.write(identity), identity.createdAt(),
          identity.updatedAt());
      insertIdentifiers(tx, identity);
      return null;
    });
  }

  private static void insertIdentifiers(Jdbc.Tx tx, Identity identity) {
    List<Object[]> rows = new ArrayList<>();
    IdentityStore.identifiersOf(identity).forEach(p -> rows.add(new Object[] {p[0], p[1], identity.id().toString()}));
    if (!rows.isEmpty()) {
      try {
        tx.batch("INSERT INTO ory4j_identity_identifiers (credential_type, identifier, identity_id) VALUES (?, ?, ?)",
            rows);
      } catch (Jdbc.SqlRuntimeException e) {
        if (io.ory4j.core.jdbc.Dialect.isUniqueViolation(e.getCause())
            || e.getCause() instanceof java.sql.BatchUpdateException) {
          throw new DuplicateException("An account with the same identifier (email, phone, username, ...) exists "
              + "already.", e.getCause());
        }
        throw e;
      }
    }
  }

  @Override
  public boolean update(Identity identity) {
    return jdbc.inTransaction(tx -> {
      int n = tx.update("UPDATE ory4j_identities SET schema_id = ?, document = ?, updated_at = ? WHERE id = ?",
          identity.schemaId(), json.write(identity), identity.updatedAt(), identity.id().toString());
      if (n == 0) {
        return false;
      }
      tx.update("DELETE FROM ory4j_identity_identifiers WHERE identity_id = ?", identity.id().toString());
      insertIdentifiers(tx, identity);
      return true;
    });
  }

  @Override
  public Optional<Identity> find(UUID id) {
    return jdbc.queryOne("SELECT document FROM ory4j_identities WHERE id = ?",
        r -> json.read(r.requireString("document"), Identity.class), id.toString());
  }

  @Override
  public Optional<Identity> findByIdentifier(String type, String identifier) {
    return jdbc.queryOne("SELECT i.document FROM ory4j_identities i JOIN ory4j_identity_identifiers c "
            + "ON c.identity_id = i.id WHERE c.credential_type = ? AND c.identifier = ?",
        r -> json.read(r.requireString("document"), Identity.class), type, identifier);
  }

  @Override
  public Page<Identity> list(PageRequest page, String credentialsIdentifier) {
    if (credentialsIdentifier != null) {
      return new Page<>(jdbc.query("SELECT DISTINCT i.id, i.document FROM ory4j_identities i JOIN "
              + "ory4j_identity_identifiers c ON c.identity_id = i.id WHERE c.identifier = ? AND c.credential_type NOT "
              + "LIKE ? AND c.credential_type NOT LIKE ? ORDER BY i.id", r -> json.read(r.requireString("document"),
              Identity.class), credentialsIdentifier, IdentityStore.addressType("") + "%",
          IdentityStore.recoveryType("") + "%"), null);
    }
    List<Identity> rows = page.pageToken() == null
        ? jdbc.query("SELECT document FROM ory4j_identities ORDER BY id LIMIT " + (page.pageSize() + 1),
            r -> json.read(r.requireString("document"), Identity.class))
        : jdbc.query("SELECT document FROM ory4j_identities WHERE id > ? ORDER BY id LIMIT " + (page.pageSize() + 1),
            r -> json.read(r.requireString("document"), Identity.class), PageToken.decode(page.pageToken()));
    return Page.fromOverfetch(rows, page.pageSize(), i -> i.id().toString());
  }

  @Override
  public boolean delete(UUID id) {
    return jdbc.inTransaction(tx -> {
      tx.update("DELETE FROM ory4j_identity_identifiers WHERE identity_id = ?", id.toString());
      return tx.update("DELETE FROM ory4j_identities WHERE id = ?", id.toString()) > 0;
    });
  }
}
