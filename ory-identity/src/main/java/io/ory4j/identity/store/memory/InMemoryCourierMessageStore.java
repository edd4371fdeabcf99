package io.ory4j.identity.store.memory;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.core.storage.PageToken;
import io.ory4j.identity.CourierMessage;
import io.ory4j.identity.spi.CourierMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/** A {@link CourierMessageStore} in memory, for tests and single-process use. */
public final class InMemoryCourierMessageStore implements CourierMessageStore {

  private final ConcurrentSkipListMap<String, CourierMessage> messages = new ConcurrentSkipListMap<>();

  @Override
  public void enqueue(CourierMessage m) {
    if (messages.putIfAbsent(m.id().toString(), m) != null) {
      throw new io.ory4j.core.storage.DuplicateException("courier message " + m.id() + " exists");
    }
  }

  @Override
  public Optional<CourierMessage> find(UUID id) {
    return Optional.ofNullable(messages.get(id.toString()));
  }

  @Override
  public Page<CourierMessage> list(PageRequest page, @Nullable String status, @Nullable String recipient) {
    String after = page.pageToken() == null ? null : PageToken.decode(page.pageToken());
    List<CourierMessage> out = new ArrayList<>();
    for (CourierMessage m : (after == null ? messages : messages.tailMap(after, false)).values()) {
      if ((status == null || status.equals(m.status())) && (recipient == null || recipient.equals(m.recipient()))) {
        out.add(m);
        if (out.size() > page.pageSize()) {
          break;
        }
      }
    }
    return Page.fromOverfetch(out, page.pageSize(), m -> m.id().toString());
  }

  @Override
  public synchronized List<CourierMessage> claimQueued(int limit, Instant now) {
    List<CourierMessage> claimed = new ArrayList<>();
    messages.values().stream().filter(m -> m.status().equals(CourierMessage.QUEUED))
        .sorted(Comparator.comparing(CourierMessage::createdAt)).limit(limit).forEach(m -> {
          CourierMessage p = m.with(CourierMessage.PROCESSING, m.sendCount(), now);
          messages.put(m.id().toString(), p);
          claimed.add(p);
        });
    return claimed;
  }

  @Override
  public synchronized boolean update(CourierMessage m) {
    return messages.computeIfPresent(m.id().toString(), (k, old) -> old.with(m.status(), m.sendCount(),
        m.updatedAt())) != null;
  }

  @Override
  public int deleteForIdentity(UUID identityId) {
    int before = messages.size();
    messages.values().removeIf(m -> identityId.equals(m.identityId()));
    return before - messages.size();
  }
}
