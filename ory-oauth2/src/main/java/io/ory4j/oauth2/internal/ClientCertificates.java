package io.ory4j.oauth2.internal;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.oauth2.MutualTlsSettings;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client certificate of a request (RFC 8705): the TLS connection's ({@code tls.client_certificates}, set by the
 * servlet adapter from {@code jakarta.servlet.request.X509Certificate}), else a trusted proxy's header.
 */
public final class ClientCertificates {

  private static final Logger log = LoggerFactory.getLogger(ClientCertificates.class);
  /** The request attribute the servlet adapter fills. */
  public static final String ATTRIBUTE = "tls.client_certificates";

  private final MutualTlsSettings settings;

  public ClientCertificates(MutualTlsSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The leaf certificate the client presented, if any. */
  public Optional<X509Certificate> of(HttpRequest request) {
    Object attr = request.attribute(ATTRIBUTE).orElse(null);
    if (attr instanceof X509Certificate[] chain && chain.length > 0) {
      return Optional.of(chain[0]);
    }
    String header = settings.certificateHeader();
    if (header == null) {
      return Optional.empty();
    }
    Optional<String> value = request.header(header).filter(v -> !v.isBlank());
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!settings.trustedProxies().contains(request.remoteAddress())) {
      log.warn("ignored the client certificate header {} from {}: not a trusted proxy", header,
          request.remoteAddress());
      return Optional.empty();
    }
    return parse(value.get());
  }

  /** A certificate in URL-encoded PEM, PEM, or base64 DER; empty when it is none of them. */
  static Optional<X509Certificate> parse(String value) {
    try {
      String v = value.trim();
      if (v.contains("%")) {
        v = URLDecoder.decode(v, StandardCharsets.UTF_8);
      }
      byte[] bytes = v.contains("-----BEGIN") ? v.getBytes(StandardCharsets.US_ASCII) : null;
      if (bytes == null) {
        bytes = Base64.getMimeDecoder().decode(v);
      }
      return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(bytes)));
    } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
      log.warn("the forwarded client certificate could not be read: {}", e.toString());
      return Optional.empty();
    }
  }

  /** The {@code x5t#S256} confirmation of a certificate (RFC 8705 section 3.1): base64url SHA-256 of its DER. */
  public static String thumbprint(X509Certificate cert) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(cert.getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
