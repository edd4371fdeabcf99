package io.ory4j.oauth2.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.oauth2.TrustedJwtGrantIssuer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Stores the trust relationships of the JWT bearer grant (Hydra's {@code hydra_oauth2_trusted_jwt_bearer_issuer}). */
public interface TrustedIssuerStore {

  /**
   * Stores a new relationship.
   *
   * @throws io.ory4j.core.storage.DuplicateException when one with the same issuer, subject and key id exists
   */
  void create(TrustedJwtGrantIssuer trust);

  Optional<TrustedJwtGrantIssuer> find(String id);

  /** A page ordered by id, only of {@code issuer} when it is given. */
  Page<TrustedJwtGrantIssuer> list(PageRequest page, @Nullable String issuer);

  /** Deletes one; false when it did not exist. */
  boolean delete(String id);

  /**
   * The relationships of {@code issuer} that cover {@code subject} (theirs, or any subject) and expire after
   * {@code now}.
   */
  List<TrustedJwtGrantIssuer> findActive(String issuer, String subject, Instant now);

  /** Deletes the relationships that expired before {@code before} (the janitor); returns how many. */
  int deleteExpired(Instant before);
}
