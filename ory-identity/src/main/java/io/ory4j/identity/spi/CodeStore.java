package io.ory4j.identity.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One-time codes and link tokens of the self-service flows (verification, recovery), stored only as hashes. A code
 * is used at most once, even across processes sharing a database. Thread-safe.
 */
public interface CodeStore {

  /**
   * A stored code.
   *
   * @param id the code id
   * @param purpose what it is for, such as {@code verification_code} or {@code verification_link}
   * @param codeHash the SHA-256 of the code (hex)
   * @param flowId the flow it belongs to
   * @param identityId the identity it was sent for
   * @param address the address it was sent to
   * @param expiresAt when it stops working
   * @param usedAt when it was used, or null
   * @param failedAttempts wrong codes submitted for its flow
   */
  record OneTimeCode(UUID id, String purpose, String codeHash, UUID flowId, UUID identityId, String address,
      Instant expiresAt, @Nullable Instant usedAt, int failedAttempts) {
    public OneTimeCode {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(purpose, "purpose");
      Objects.requireNonNull(codeHash, "codeHash");
      Objects.requireNonNull(flowId, "flowId");
      Objects.requireNonNull(identityId, "identityId");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  void save(OneTimeCode code);

  /** The unused codes of a flow for a purpose, newest first. */
  List<OneTimeCode> findUnused(UUID flowId, String purpose);

  /** A code by its hash (a link token), used or not. */
  Optional<OneTimeCode> findByHash(String purpose, String codeHash);

  /** Marks the code used at {@code at}; true for exactly one caller, false when it was used already. */
  boolean markUsed(UUID id, Instant at);

  /** Counts a wrong attempt against the code; returns the new count. */
  int countFailure(UUID id);

  /** The codes of an identity, used or not (for an export). */
  List<OneTimeCode> findForIdentity(UUID identityId);

  /** Deletes the codes of an identity; returns how many. */
  int deleteForIdentity(UUID identityId);
}
