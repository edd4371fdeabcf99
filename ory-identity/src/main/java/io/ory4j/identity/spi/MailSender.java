package io.ory4j.identity.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Sends one email for the courier (SMTP in {@code io.ory4j.identity.mail}); throws when it could not. */
@FunctionalInterface
public interface MailSender {

  /** An email: recipient, subject, plain-text body and an optional HTML alternative. */
  record Email(String to, String subject, String plaintext, @Nullable String html) {
    public Email {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(plaintext, "plaintext");
    }
  }

  /** Sends the email; any exception counts as a failed try. */
  void send(Email email) throws Exception;
}
