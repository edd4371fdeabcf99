package io.ory4j.identity;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the browser flavor of the self-service flows, with Kratos' names.
 *
 * @param loginUi {@code selfservice.flows.login.ui_url}: where the browser is sent with {@code ?flow=<id>}
 * @param registrationUi {@code selfservice.flows.registration.ui_url}
 * @param defaultReturnTo {@code selfservice.default_browser_return_url}: where a finished flow goes
 * @param allowedReturnUrls {@code selfservice.allowed_return_urls}: the prefixes {@code return_to} may start with
 * @param secureCookies whether cookies carry {@code Secure} (true unless serving plain HTTP in development)
 * @param verificationUi {@code selfservice.flows.verification.ui_url}
 * @param recoveryUi {@code selfservice.flows.recovery.ui_url}
 * @param settingsUi {@code selfservice.flows.settings.ui_url}
 */
public record BrowserSettings(URI loginUi, URI registrationUi, URI defaultReturnTo, List<URI> allowedReturnUrls,
    boolean secureCookies, URI verificationUi, URI recoveryUi, URI settingsUi) {

  public BrowserSettings {
    Objects.requireNonNull(loginUi, "loginUi");
    Objects.requireNonNull(registrationUi, "registrationUi");
    Objects.requireNonNull(defaultReturnTo, "defaultReturnTo");
    allowedReturnUrls = List.copyOf(allowedReturnUrls);
    Objects.requireNonNull(verificationUi, "verificationUi");
    Objects.requireNonNull(recoveryUi, "recoveryUi");
    Objects.requireNonNull(settingsUi, "settingsUi");
  }

  /**
   * Settings whose verification, recovery and settings UIs are {@code /verification}, {@code /recovery} and
   * {@code /settings} on the default return URL's origin.
   */
  public BrowserSettings(URI loginUi, URI registrationUi, URI defaultReturnTo, List<URI> allowedReturnUrls,
      boolean secureCookies) {
    this(loginUi, registrationUi, defaultReturnTo, allowedReturnUrls, secureCookies,
        defaultReturnTo.resolve("/verification"), defaultReturnTo.resolve("/recovery"),
        defaultReturnTo.resolve("/settings"));
  }

  /** The same settings with {@code selfservice.flows.verification.ui_url}. */
  public BrowserSettings withVerificationUi(URI u) {
    return new BrowserSettings(loginUi, registrationUi, defaultReturnTo, allowedReturnUrls, secureCookies, u,
        recoveryUi, settingsUi);
  }

  /** The same settings with {@code selfservice.flows.recovery.ui_url}. */
  public BrowserSettings withRecoveryUi(URI u) {
    return new BrowserSettings(loginUi, registrationUi, defaultReturnTo, allowedReturnUrls, secureCookies,
        verificationUi, u, settingsUi);
  }

  /** The same settings with {@code selfservice.flows.settings.ui_url}. */
  public BrowserSettings withSettingsUi(URI u) {
    return new BrowserSettings(loginUi, registrationUi, defaultReturnTo, allowedReturnUrls, secureCookies,
        verificationUi, recoveryUi, u);
  }

  /**
   * True when {@code url} is the default return URL's origin or starts with an allowed URL (same scheme, host and
   * port, and a path under the allowed path), as Kratos checks {@code return_to}.
   */
  public boolean allows(URI url) {
    if (!url.isAbsolute() || url.getHost() == null) {
      return false;
    }
    for (URI allowed : allowedList()) {
      if (allowed.getScheme().equalsIgnoreCase(url.getScheme()) && allowed.getHost().equalsIgnoreCase(url.getHost())
          && port(allowed) == port(url) && (url.getPath() == null ? "" : url.getPath()).startsWith(
              allowed.getPath() == null ? "" : allowed.getPath())) {
        return true;
      }
    }
    return false;
  }

  private List<URI> allowedList() {
    java.util.ArrayList<URI> l = new java.util.ArrayList<>(allowedReturnUrls);
    l.add(defaultReturnTo.resolve("/"));
    return l;
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
