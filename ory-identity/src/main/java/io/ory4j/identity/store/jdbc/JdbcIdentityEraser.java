package io.ory4j.identity.store.jdbc;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.identity.spi.IdentityEraser;
import java.util.Objects;
import java.util.UUID;

/**
 * Deletes an identity with its identifiers, sessions, codes, courier messages and flows in one transaction, on the
 * tables of module {@code identity}. Its flows are the ones its codes were sent for (verification, recovery) and the
 * settings flows that carry it (their document starts the {@code identity} object with its id).
 */
public final class JdbcIdentityEraser implements IdentityEraser {

  private final Jdbc jdbc;

  public JdbcIdentityEraser(Jdbc jdbc) {
    this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
  }

  @Override
  public boolean erase(UUID identityId) {
    String id = identityId.toString();
    return jdbc.inTransaction(tx -> {
      tx.update("DELETE FROM ory4j_selfservice_flows WHERE id IN (SELECT flow_id FROM ory4j_selfservice_codes WHERE "
          + "identity_id = ?) OR (kind = ? AND document LIKE ?)", id, "settings", "%\"identity\":{\"id\":\"" + id
          + "\"%");
      tx.update("DELETE FROM ory4j_selfservice_codes WHERE identity_id = ?", id);
      tx.update("DELETE FROM ory4j_courier_messages WHERE identity_id = ?", id);
      tx.update("DELETE FROM ory4j_sessions WHERE identity_id = ?", id);
      tx.update("DELETE FROM ory4j_identity_identifiers WHERE identity_id = ?", id);
      return tx.update("DELETE FROM ory4j_identities WHERE id = ?", id) > 0;
    });
  }
}
