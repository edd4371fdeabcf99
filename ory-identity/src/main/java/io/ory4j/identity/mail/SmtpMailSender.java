package io.ory4j.identity.mail;

import io.ory4j.identity.spi.MailSender;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Sends the courier's email over SMTP with Kratos' configuration: {@code courier.smtp.connection_uri}
 * ({@code smtp://user:password@host:port/} with STARTTLS required, {@code ?disable_starttls=true} for plain SMTP,
 * {@code smtps://} for implicit TLS, {@code ?skip_ssl_verify=true} to trust any certificate),
 * {@code courier.smtp.from_address} and {@code courier.smtp.from_name}. Multipart email: plain text and HTML.
 */
public final class SmtpMailSender implements MailSender {

  private final Session session;
  private final InternetAddress from;

  /**
   * @param connectionUri {@code courier.smtp.connection_uri}
   * @param fromAddress {@code courier.smtp.from_address}
   * @param fromName {@code courier.smtp.from_name}, or null
   * @param timeout connect and read timeout
   */
  public SmtpMailSender(URI connectionUri, String fromAddress, @Nullable String fromName, Duration timeout) {
    String scheme = Objects.requireNonNull(connectionUri.getScheme(), "courier.smtp.connection_uri needs a scheme");
    if (!scheme.equals("smtp") && !scheme.equals("smtps")) {
      throw new IllegalArgumentException("courier.smtp.connection_uri must be smtp:// or smtps://, not " + scheme);
    }
    if (connectionUri.getHost() == null) {
      throw new IllegalArgumentException("courier.smtp.connection_uri has no host");
    }
    Map<String, String> q = query(connectionUri.getRawQuery());
    boolean tls = scheme.equals("smtps");
    Properties p = new Properties();
    String proto = tls ? "smtps" : "smtp";
    p.put("mail.transport.protocol", proto);
    p.put("mail." + proto + ".host", connectionUri.getHost());
    p.put("mail." + proto + ".port", String.valueOf(connectionUri.getPort() > 0 ? connectionUri.getPort()
        : tls ? 465 : 587));
    p.put("mail." + proto + ".connectiontimeout", String.valueOf(timeout.toMillis()));
    p.put("mail." + proto + ".timeout", String.valueOf(timeout.toMillis()));
    p.put("mail." + proto + ".writetimeout", String.valueOf(timeout.toMillis()));
    if (!tls && !"true".equals(q.get("disable_starttls"))) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    if ("true".equals(q.get("skip_ssl_verify"))) {
      p.put("mail." + proto + ".ssl.trust", "*");
      p.put("mail." + proto + ".ssl.checkserveridentity", "false");
    } else {
      p.put("mail." + proto + ".ssl.checkserveridentity", "true");
    }
    String userInfo = connectionUri.getRawUserInfo();
    Authenticator auth = null;
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
      p.put("mail." + proto + ".auth", "true");
      auth = new Authenticator() {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
          return new PasswordAuthentication(user, password);
        }
      };
    }
    this.session = Session.getInstance(p, auth);
    try {
      this.from = fromName == null ? new InternetAddress(fromAddress, true)
          : new InternetAddress(fromAddress, fromName, StandardCharsets.UTF_8.name());
    } catch (MessagingException | UnsupportedEncodingException e) {
      throw new IllegalArgumentException("courier.smtp.from_address is not an address: " + e.getMessage(), e);
    }
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        out.put(decode(eq < 0 ? kv : kv.substring(0, eq)), eq < 0 ? "" : decode(kv.substring(eq + 1)));
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public void send(Email email) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(from);
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(email.to(), true));
    m.setSubject(email.subject(), StandardCharsets.UTF_8.name());
    if (email.html() == null) {
      m.setText(email.plaintext(), StandardCharsets.UTF_8.name());
    } else {
      MimeMultipart alt = new MimeMultipart("alternative");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(email.plaintext(), StandardCharsets.UTF_8.name());
      MimeBodyPart html = new MimeBodyPart();
      html.setText(email.html(), StandardCharsets.UTF_8.name(), "html");
      alt.addBodyPart(text);
      alt.addBodyPart(html);
      m.setContent(alt);
    }
    Transport.send(m);
  }
}
