package io.ory4j.identity.spi;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.CourierMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** The courier's message queue. Thread-safe; a message is claimed by one dispatcher at a time. */
public interface CourierMessageStore {

  /** Stores a new message. */
  void enqueue(CourierMessage message);

  Optional<CourierMessage> find(UUID id);

  /** Messages in id order, optionally only those with {@code status} and/or sent to {@code recipient}. */
  Page<CourierMessage> list(PageRequest page, @Nullable String status, @Nullable String recipient);

  /**
   * Claims up to {@code limit} queued messages, oldest first: each is set to {@code processing} (updated at
   * {@code now}) by exactly one caller, even across processes sharing a database.
   */
  List<CourierMessage> claimQueued(int limit, Instant now);

  /** Rewrites a message's status, send count and update time; false when it does not exist. */
  boolean update(CourierMessage message);

  /** Deletes the messages sent for an identity; returns how many. */
  int deleteForIdentity(UUID identityId);
}
