package io.ory4j.identity;

import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.storage.Page;
import io.ory4j.core.storage.PageRequest;
import io.ory4j.identity.spi.CourierMessageStore;
import io.ory4j.identity.spi.MailSender;
import io.ory4j.identity.store.memory.InMemoryCourierMessageStore;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kratos' courier: renders a template into a message, queues it in the {@link CourierMessageStore}, and sends queued
 * messages through a {@link MailSender} when {@link #dispatchQueued()} runs (Kratos' {@code courier watch}; call it
 * from a scheduler, or after queueing). A message whose sending fails goes back to {@code queued} until it was tried
 * {@code courier.message_retries} times (5, as Kratos), then it is {@code abandoned}.
 */
public final class Courier {

  private static final Logger log = LoggerFactory.getLogger(Courier.class);

  private final CourierMessageStore store;
  private final CourierTemplates templates;
  private final @Nullable MailSender sender;
  private final Clock clock;
  private final IdGenerator ids;
  private final int maxRetries;

  private Courier(Builder b) {
    this.store = b.store;
    this.templates = b.templates;
    this.sender = b.sender;
    this.clock = b.clock;
    this.ids = b.ids;
    this.maxRetries = b.maxRetries;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Renders {@code templateType} (such as {@code verification_code_valid}) for {@code to} and queues it.
   *
   * @param identityId the identity the message is about, if any (so deleting the identity deletes the message)
   */
  public CourierMessage queueEmail(String templateType, String to, Map<String, ?> variables,
      @Nullable UUID identityId) {
    CourierTemplates.Rendered r = templates.render(templateType, variables);
    Instant now = clock.instant();
    CourierMessage m = new CourierMessage(ids.next(), "email", CourierMessage.QUEUED, to, r.subject(), r.plaintext(),
        templateType, 0, now, now, r.html(), identityId);
    store.enqueue(m);
    log.debug("courier queued message {} ({})", m.id(), templateType);
    return m;
  }

  /**
   * Sends the queued messages (up to 100 per call); returns how many were sent. Without a sender nothing is sent.
   */
  public int dispatchQueued() {
    if (sender == null) {
      return 0;
    }
    int sent = 0;
    List<CourierMessage> batch = store.claimQueued(100, clock.instant());
    for (CourierMessage m : batch) {
      int tries = m.sendCount() + 1;
      try {
        sender.send(new MailSender.Email(m.recipient(), m.subject(), m.body(), m.htmlBody()));
        store.update(m.with(CourierMessage.SENT, tries, clock.instant()));
        sent++;
        log.debug("courier sent message {}", m.id());
      } catch (Exception e) {
        String status = tries >= maxRetries ? CourierMessage.ABANDONED : CourierMessage.QUEUED;
        store.update(m.with(status, tries, clock.instant()));
        log.warn("courier could not send message {} (try {} of {}), now {}: {}", m.id(), tries, maxRetries, status,
            e.toString());
      }
    }
    return sent;
  }

  public Optional<CourierMessage> message(UUID id) {
    return store.find(id);
  }

  public Page<CourierMessage> messages(PageRequest page, @Nullable String status, @Nullable String recipient) {
    return store.list(page, status, recipient);
  }

  /** Deletes the messages of an identity. */
  public int deleteForIdentity(UUID identityId) {
    return store.deleteForIdentity(identityId);
  }

  /** Builds a {@link Courier}. */
  public static final class Builder {
    private CourierMessageStore store = new InMemoryCourierMessageStore();
    private CourierTemplates templates = CourierTemplates.builtin();
    private @Nullable MailSender sender;
    private Clock clock = Clock.systemUTC();
    private IdGenerator ids = IdGenerator.randomV4();
    private int maxRetries = 5;

    private Builder() {}

    public Builder store(CourierMessageStore s) {
      store = Objects.requireNonNull(s);
      return this;
    }

    public Builder templates(CourierTemplates t) {
      templates = Objects.requireNonNull(t);
      return this;
    }

    /** The sender (SMTP: {@code io.ory4j.identity.mail.SmtpMailSender}); without one messages stay queued. */
    public Builder sender(@Nullable MailSender s) {
      sender = s;
      return this;
    }

    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c);
      return this;
    }

    public Builder ids(IdGenerator g) {
      ids = Objects.requireNonNull(g);
      return this;
    }

    /** {@code courier.message_retries}: tries before a message is abandoned (default 5). */
    public Builder messageRetries(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("courier.message_retries must be at least 1");
      }
      maxRetries = n;
      return this;
    }

    public Courier build() {
      return new Courier(this);
    }
  }
}
