package io.ory4j.testkit.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.CourierMessage;
import io.ory4j.identity.spi.CourierMessageStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The contract of {@link CourierMessageStore}. Extend it and implement {@link #newStore()} (fresh and empty). */
public abstract class CourierMessageStoreContract {

  protected abstract CourierMessageStore newStore();

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static CourierMessage message(int n, String recipient, UUID identity) {
    return new CourierMessage(new UUID(0, n), "email", CourierMessage.QUEUED, recipient, "subject " + n, "body " + n,
        "verification_code_valid", 0, T0.plusSeconds(n), T0.plusSeconds(n), "<p>body " + n + "</p>", identity);
  }

  @Test
  void enqueueWhenStoredThenFoundWithEveryFieldAndListedByStatusAndRecipient() {
    CourierMessageStore s = newStore();
    UUID ada = UUID.randomUUID();
    CourierMessage m = message(1, "ada@example.com", ada);
    s.enqueue(m);
    s.enqueue(message(2, "bob@example.com", UUID.randomUUID()));
    assertEquals(m, s.find(m.id()).orElseThrow());
    assertEquals(List.of(m), s.list(PageRequest.first(), null, "ada@example.com").items());
    assertEquals(2, s.list(PageRequest.first(), CourierMessage.QUEUED, null).items().size());
    assertTrue(s.list(PageRequest.first(), CourierMessage.SENT, null).items().isEmpty());
    assertTrue(s.find(UUID.randomUUID()).isEmpty());
  }

  @Test
  void listWhenMoreThanAPageThenPagesInIdOrder() {
    CourierMessageStore s = newStore();
    for (int i = 1; i <= 5; i++) {
      s.enqueue(message(i, "a@example.com", UUID.randomUUID()));
    }
    Page<CourierMessage> first = s.list(PageRequest.first(2), null, null);
    assertEquals(List.of(new UUID(0, 1), new UUID(0, 2)), first.items().stream().map(CourierMessage::id).toList());
    Page<CourierMessage> second = s.list(new PageRequest(2, first.nextPageToken()), null, null);
    assertEquals(List.of(new UUID(0, 3), new UUID(0, 4)), second.items().stream().map(CourierMessage::id).toList());
    Page<CourierMessage> last = s.list(new PageRequest(2, second.nextPageToken()), null, null);
    assertEquals(1, last.items().size());
    assertNull(last.nextPageToken());
  }

  @Test
  void claimQueuedWhenClaimedThenProcessingOldestFirstAndNotClaimedAgain() {
    CourierMessageStore s = newStore();
    s.enqueue(message(2, "b@example.com", UUID.randomUUID()));
    s.enqueue(message(1, "a@example.com", UUID.randomUUID()));
    List<CourierMessage> claimed = s.claimQueued(1, T0.plusSeconds(60));
    assertEquals(1, claimed.size());
    assertEquals(new UUID(0, 1), claimed.get(0).id());
    assertEquals(CourierMessage.PROCESSING, s.find(new UUID(0, 1)).orElseThrow().status());
    assertEquals(T0.plusSeconds(60), s.find(new UUID(0, 1)).orElseThrow().updatedAt());
    assertEquals(List.of(new UUID(0, 2)), s.claimQueued(10, T0.plusSeconds(61)).stream().map(CourierMessage::id)
        .toList());
    assertTrue(s.claimQueued(10, T0.plusSeconds(62)).isEmpty());
  }

  @Test
  void updateWhenSentOrRequeuedThenStatusAndCountKept() {
    CourierMessageStore s = newStore();
    CourierMessage m = message(1, "a@example.com", UUID.randomUUID());
    s.enqueue(m);
    assertTrue(s.update(m.with(CourierMessage.QUEUED, 1, T0.plusSeconds(5))));
    CourierMessage again = s.find(m.id()).orElseThrow();
    assertEquals(1, again.sendCount());
    assertEquals(CourierMessage.QUEUED, again.status());
    assertTrue(s.update(m.with(CourierMessage.SENT, 2, T0.plusSeconds(9))));
    assertEquals(CourierMessage.SENT, s.find(m.id()).orElseThrow().status());
    assertEquals(m.body(), s.find(m.id()).orElseThrow().body(), "an update changes status, count and time only");
    assertFalse(s.update(message(9, "x@example.com", UUID.randomUUID())));
  }

  @Test
  void deleteForIdentityWhenCalledThenOnlyItsMessagesGone() {
    CourierMessageStore s = newStore();
    UUID ada = UUID.randomUUID();
    s.enqueue(message(1, "ada@example.com", ada));
    s.enqueue(message(2, "ada@example.com", ada));
    s.enqueue(message(3, "bob@example.com", UUID.randomUUID()));
    assertEquals(2, s.deleteForIdentity(ada));
    assertEquals(1, s.list(PageRequest.first(), null, null).items().size());
  }

  @Test
  void claimQueuedWhenDispatchersRaceThenEachMessageClaimedOnce() throws Exception {
    CourierMessageStore s = newStore();
    for (int i = 1; i <= 20; i++) {
      s.enqueue(message(i, "a@example.com", UUID.randomUUID()));
    }
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<List<CourierMessage>>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<List<CourierMessage>> c = () -> {
          start.await(30, TimeUnit.SECONDS);
          return s.claimQueued(20, T0.plusSeconds(100));
        };
        futures.add(pool.submit(c));
      }
      Set<UUID> seen = new HashSet<>();
      int total = 0;
      for (Future<List<CourierMessage>> f : futures) {
        for (CourierMessage m : f.get(60, TimeUnit.SECONDS)) {
          seen.add(m.id());
          total++;
        }
      }
      assertEquals(20, total, "no message claimed twice");
      assertEquals(20, seen.size());
    } finally {
      pool.shutdownNow();
    }
  }
}
