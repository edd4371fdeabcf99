package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.spi.MailSender;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without SMTP the example's courier writes each mail as an {@code .eml} file in the data folder. */
class MailFolderTest {

  @TempDir
  Path data;

  @Test
  void sendWhenMailThenOneCompleteEmlFileWithoutHeaderInjection() throws Exception {
    Path dir = data.resolve("mail");
    new MailFolder(dir, "no-reply@example.com", Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC))
        .send(new MailSender.Email("ada@example.com", "Hi\r\nBcc: eve@example.com", "Your code: 123456\n", null));

    List<Path> files = list(dir);
    assertEquals(1, files.size());
    assertTrue(files.get(0).getFileName().toString().endsWith(".eml"));
    String eml = Files.readString(files.get(0), StandardCharsets.UTF_8);
    assertTrue(eml.contains("To: ada@example.com\r\n"), eml);
    assertTrue(eml.contains("Subject: Hi  Bcc: eve@example.com\r\n"), "no second header line: " + eml);
    assertTrue(eml.contains("Date: Sun, 29 Nov 2026 10:00:00 GMT\r\n"), eml);
    assertTrue(eml.endsWith("\r\n\r\nYour code: 123456\r\n\r\n"), eml);
  }

  @Test
  void registrationWhenVerificationOnAndNoSmtpThenTheCodeMailLandsInTheDataFolder() throws Exception {
    OryConfig config = OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4",
        "SELFSERVICE_FLOWS_VERIFICATION_ENABLED", "true")).build();
    try (ExampleServer s = ExampleServer.start(config)) {
      HttpClient http = HttpClient.newHttpClient();
      OryJson json = OryJson.create();
      JsonNode flow = json.readTree(http.send(HttpRequest.newBuilder(s.publicUrl().resolve(
          "/self-service/registration/api")).build(), HttpResponse.BodyHandlers.ofString()).body());
      http.send(HttpRequest.newBuilder(s.publicUrl().resolve("/self-service/registration?flow="
          + flow.get("id").asText())).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
          .ofString("{\"method\":\"password\",\"password\":\"correct horse staple battery\",\"traits\":{\"email\":"
              + "\"folder@example.com\"}}")).build(), HttpResponse.BodyHandlers.ofString());

      // the courier dispatches every second on its own thread: wait for its file, up to a bound
      Path dir = data.resolve("mail");
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (list(dir).isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      List<Path> mails = list(dir);
      assertEquals(1, mails.size(), "one verification mail");
      String eml = Files.readString(mails.get(0), StandardCharsets.UTF_8);
      assertTrue(eml.contains("To: folder@example.com"), eml);
      assertTrue(eml.matches("(?s).*\\b\\d{6}\\b.*"), "the mail carries the code: " + eml);
    }
  }

  private static List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".eml")).toList();
    }
  }
}
