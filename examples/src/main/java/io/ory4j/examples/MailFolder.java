package io.ory4j.examples;

import io.ory4j.identity.spi.MailSender;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * The example's courier without SMTP: each mail becomes an {@code .eml} file (RFC 5322, plain text, UTF-8) in a
 * folder, written whole or not at all, so a developer opens the verification or recovery mail in any mail client.
 */
final class MailFolder implements MailSender {
  private final Path dir;
  private final String from;
  private final Clock clock;

  MailFolder(Path dir, String from, Clock clock) {
    this.dir = dir;
    this.from = from;
    this.clock = clock;
  }

  @Override
  public void send(Email email) throws Exception {
    Files.createDirectories(dir);
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
    String name = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(clock.instant().atOffset(ZoneOffset.UTC))
        + "-" + UUID.randomUUID() + ".eml";
    String message = "From: " + header(from) + "\r\nTo: " + header(email.to()) + "\r\nSubject: "
        + header(email.subject()) + "\r\nDate: " + date + "\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + email.plaintext().replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
    Path tmp = Files.createTempFile(dir, ".mail", ".tmp");
    Files.writeString(tmp, message, StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** A header value on one line (no header injection through a subject or an address). */
  private static String header(String value) {
    return value.replace('\r', ' ').replace('\n', ' ');
  }
}
