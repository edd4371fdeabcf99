package io.ory4j.identity.spi;

import java.util.UUID;

/**
 * An optional capability of a database: deletes an identity and everything held about it (credentials and
 * identifiers, sessions, one-time codes, courier messages, its self-service flows) in one transaction, so a failure
 * leaves all of it in place. {@link io.ory4j.identity.store.jdbc.JdbcIdentityEraser} is the JDBC one.
 */
@FunctionalInterface
public interface IdentityEraser {

  /** Deletes the identity and its data; false when there was no such identity. */
  boolean erase(UUID identityId);
}
