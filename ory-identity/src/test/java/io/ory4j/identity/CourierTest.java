package io.ory4j.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.spi.MailSender;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The courier's queue: retries, abandonment, sending without a sender, deletion by identity. */
class CourierTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

  @Test
  void dispatchWhenSenderFailsThenRequeuedUntilRetriesThenAbandoned() {
    List<String> tried = new ArrayList<>();
    MailSender failing = email -> {
      tried.add(email.to());
      throw new java.io.IOException("connection refused");
    };
    Courier c = Courier.builder().clock(clock).sender(failing).messageRetries(3).build();
    CourierMessage m = c.queueEmail("verification_code_valid", "ada@example.com", Map.of("VerificationCode", "123456"),
        null);
    assertTrue(m.body().contains("123456"));
    for (int i = 1; i <= 2; i++) {
      assertEquals(0, c.dispatchQueued());
      CourierMessage now = c.message(m.id()).orElseThrow();
      assertEquals(CourierMessage.QUEUED, now.status());
      assertEquals(i, now.sendCount());
      clock.advance(Duration.ofSeconds(1));
    }
    assertEquals(0, c.dispatchQueued());
    CourierMessage last = c.message(m.id()).orElseThrow();
    assertEquals(CourierMessage.ABANDONED, last.status());
    assertEquals(3, last.sendCount());
    assertEquals(clock.instant(), last.updatedAt());
    assertEquals(0, c.dispatchQueued(), "an abandoned message is not tried again");
    assertEquals(3, tried.size());
  }

  @Test
  void dispatchWhenSenderRecoversThenSentWithItsCount() {
    boolean[] down = {true};
    List<MailSender.Email> sent = new ArrayList<>();
    Courier c = Courier.builder().clock(clock).sender(email -> {
      if (down[0]) {
        throw new IllegalStateException("down");
      }
      sent.add(email);
    }).build();
    CourierMessage m = c.queueEmail("recovery_code_valid", "ada@example.com", Map.of("RecoveryCode", "654321"), null);
    c.dispatchQueued();
    down[0] = false;
    assertEquals(1, c.dispatchQueued());
    assertEquals(CourierMessage.SENT, c.message(m.id()).orElseThrow().status());
    assertEquals(2, c.message(m.id()).orElseThrow().sendCount());
    assertEquals("Recover access to your account", sent.get(0).subject());
    assertTrue(sent.get(0).html().contains("654321"));
  }

  @Test
  void dispatchWhenNoSenderThenMessagesStayQueued() {
    Courier c = Courier.builder().clock(clock).build();
    CourierMessage m = c.queueEmail("login_code_valid", "ada@example.com", Map.of("LoginCode", "1"), null);
    assertEquals(0, c.dispatchQueued());
    assertEquals(CourierMessage.QUEUED, c.message(m.id()).orElseThrow().status());
  }

  @Test
  void deleteForIdentityWhenQueuedThenGone() {
    Courier c = Courier.builder().clock(clock).build();
    UUID ada = UUID.randomUUID();
    c.queueEmail("verification_valid", "ada@example.com", Map.of(), ada);
    c.queueEmail("verification_valid", "bob@example.com", Map.of(), UUID.randomUUID());
    assertEquals(1, c.deleteForIdentity(ada));
    assertEquals(List.of("bob@example.com"), c.messages(PageRequest.first(), null, null).items().stream()
        .map(CourierMessage::recipient).toList());
  }
}
