package io.ory4j.oauth2;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705), beyond Hydra: off unless given to
 * {@link OAuth2Provider.Builder#mutualTls}. The client certificate is the one the servlet container verified
 * ({@code jakarta.servlet.request.X509Certificate}, carried by the servlet adapter), or, behind a TLS-terminating
 * proxy, the one the proxy forwards in a header, believed only from the proxy's addresses. Validating the chain
 * (for {@code tls_client_auth}) is the TLS terminator's job; the provider checks the certificate's validity dates,
 * its subject DN or its key.
 *
 * @param certificateHeader the header a trusted proxy puts the client certificate in (URL-encoded PEM, as nginx's
 *     {@code $ssl_client_escaped_cert}, or PEM / base64 DER), or null to read only the TLS connection's
 * @param trustedProxies the remote addresses whose {@code certificateHeader} is believed (exact IP strings)
 * @param endpointAliasBase where the same endpoints are also served on a host that asks for client certificates
 *     (RFC 8705 section 5), or null when mutual TLS is on the issuer's own host; when set, discovery lists
 *     {@code mtls_endpoint_aliases} for the token, revocation, userinfo, pushed authorization and device
 *     authorization endpoints under it
 */
public record MutualTlsSettings(@Nullable String certificateHeader, List<String> trustedProxies,
    java.net.@Nullable URI endpointAliasBase) {

  /** Without endpoint aliases. */
  public MutualTlsSettings(@Nullable String certificateHeader, List<String> trustedProxies) {
    this(certificateHeader, trustedProxies, null);
  }

  public MutualTlsSettings {
    trustedProxies = List.copyOf(trustedProxies);
    if (endpointAliasBase != null && !endpointAliasBase.isAbsolute()) {
      throw new IllegalArgumentException("mutual TLS: the endpoint alias base must be an absolute URL");
    }
    if (certificateHeader != null && (certificateHeader.isBlank() || trustedProxies.isEmpty())) {
      throw new IllegalArgumentException("mutual TLS: a certificate header needs a name and at least one trusted "
          + "proxy address");
    }
  }

  /** The certificate of the TLS connection only (the servlet container terminates TLS). */
  public static MutualTlsSettings direct() {
    return new MutualTlsSettings(null, List.of());
  }

  /** Behind a TLS-terminating proxy at {@code proxies} that forwards the certificate in {@code header}. */
  public static MutualTlsSettings behindProxy(String header, String... proxies) {
    return new MutualTlsSettings(Objects.requireNonNull(header), List.of(proxies));
  }

  /** These settings with the endpoints also served under {@code base} for mutual TLS (RFC 8705 section 5). */
  public MutualTlsSettings withEndpointAliases(java.net.URI base) {
    return new MutualTlsSettings(certificateHeader, trustedProxies, Objects.requireNonNull(base, "base"));
  }
}
