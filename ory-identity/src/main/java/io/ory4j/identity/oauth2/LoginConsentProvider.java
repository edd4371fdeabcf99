package io.ory4j.identity.oauth2;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.Cookie;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.Session;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.ConsentRequest;
import io.ory4j.oauth2.ConsentSettings;
import io.ory4j.oauth2.LoginRequest;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.RejectRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ory-oauth2's login, consent and logout app answered with ory-identity's sessions, in process: what Kratos and Hydra
 * do together ({@code oauth2_provider} in Kratos' config), so that a host gets "Sign in with &lt;your app&gt;" from
 * both modules and this router. Built with {@link #builder()}; {@link #router()} serves, under the path of
 * {@link Builder#uiUrl}:
 *
 * <ul>
 *   <li>{@code GET /login?login_challenge=}: Hydra's {@code skip} is accepted at once; a browser with an active
 *       {@code ory_kratos_session} is accepted with subject = identity id, {@code remember} for the rest of the
 *       session's life, {@code acr} = the session's AAL ({@code aal1}/{@code aal2}) and {@code amr} = its
 *       authentication methods (as Kratos sends them); without one the browser goes through ory-identity's own login
 *       flow ({@code /self-service/login/browser?return_to=} back here), and {@code prompt=login} or a session older
 *       than {@code max_age} goes through the refresh flow ({@code refresh=true}) first, and an aal1 session of an
 *       identity with a second factor (under {@code session.whoami.required_aal: highest_available}) through the
 *       second-factor flow ({@code aal=aal2}).</li>
 *   <li>{@code GET /consent?consent_challenge=}: remembered consents ({@code skip}) and configured first-party
 *       clients are accepted at once; otherwise a page shows the client and the scopes; {@code POST /consent} allows
 *       (optionally remembered) or denies ({@code access_denied}).</li>
 *   <li>{@code GET /logout?logout_challenge=}: an RP-initiated logout is accepted at once, otherwise a confirmation
 *       page; accepting revokes the browser's Kratos session and clears its cookie. {@code GET /logged-out} is the
 *       default post-logout page.</li>
 * </ul>
 *
 * <p>Forms carry a CSRF token bound to a cookie (compared in constant time). Pages come from {@link LoginConsentPages}.
 * The {@code return_to} back to this router must be allowed by ory-identity's {@code selfservice.allowed_return_urls}
 * (it is when this router is on the default return URL's origin).
 */
public final class LoginConsentProvider {

  private static final Logger log = LoggerFactory.getLogger(LoginConsentProvider.class);

  /** The cookie the consent and logout forms' CSRF token is bound to. */
  public static final String CSRF_COOKIE = "ory_oauth2_csrf";
  /** The cookie that records when this router sent a browser to (re-)authenticate, for {@code prompt=login}. */
  static final String AUTH_STARTED_COOKIE = "ory_oauth2_auth_started";
  static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; "
      + "frame-ancestors 'none'; base-uri 'none'";

  private final OAuth2Provider provider;
  private final IdentityService identities;
  private final OryJson json;
  private final Clock clock;
  private final URI uiUrl;
  private final String path;
  private final String selfServiceUrl;
  private final boolean secureCookies;
  private final Set<ClientId> firstPartyClients;
  private final Duration rememberConsentFor;
  private final LoginConsentPages pages;
  private final SecretGenerator secrets;
  private final byte[] macKey;

  private LoginConsentProvider(Builder b) {
    this.provider = Objects.requireNonNull(b.provider, "provider is required");
    this.identities = Objects.requireNonNull(b.identities, "identities is required");
    this.json = b.json;
    this.clock = b.clock;
    this.uiUrl = Objects.requireNonNull(b.uiUrl, "uiUrl is required");
    String p = b.uiUrl.getPath() == null ? "" : b.uiUrl.getPath().replaceAll("/+$", "");
    this.path = p;
    this.selfServiceUrl = Objects.requireNonNull(b.selfServiceUrl, "selfServiceUrl is required").toString()
        .replaceAll("/+$", "");
    this.secureCookies = b.secureCookies;
    this.firstPartyClients = Set.copyOf(b.firstPartyClients);
    this.rememberConsentFor = b.rememberConsentFor;
    this.pages = b.pages;
    this.secrets = b.secretGenerator;
    if (b.systemSecrets != null) {
      this.macKey = b.systemSecrets.derivedKeys("ory4j-login-consent-auth-started").get(0);
    } else {
      this.macKey = new byte[32];
      new SecureRandom().nextBytes(macKey);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * ory-oauth2's {@code urls.login}, {@code urls.consent}, {@code urls.logout} and {@code urls.post_logout_redirect}
   * pointing at this router's pages under {@code uiUrl}: pass it to {@link OAuth2Provider.Builder#consentSettings}.
   */
  public static ConsentSettings consentSettings(URI uiUrl, boolean secureCookies) {
    return ConsentSettings.at(uiUrl).withSecureCookies(secureCookies);
  }

  /** The login, consent and logout pages. */
  public Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get(path + "/login", this::login)
        .get(path + "/consent", this::consentPage)
        .post(path + "/consent", this::consentSubmit)
        .get(path + "/logout", this::logoutPage)
        .post(path + "/logout", this::logoutSubmit)
        .get(path + "/logged-out", r -> page(pages.loggedOut(), null))
        .build();
  }

  // ---- login ----

  private HttpResponse login(HttpRequest r) {
    String challenge = required(r.queryParam("login_challenge"), "login_challenge");
    LoginRequest login = provider.loginRequest(challenge);
    Optional<String> token = r.cookie(IdentityApi.SESSION_COOKIE);
    Optional<Session> session = token.flatMap(identities::whoami);
    if (login.skip()) {
      // Hydra remembers this subject: accept it, with the session's AAL when the browser's session is that subject's
      Session same = session.filter(s -> s.identityId().toString().equals(login.subject())).orElse(null);
      log.debug("login challenge skipped for a remembered subject");
      return accepted(challenge, login.subject(), same);
    }
    Map<String, List<String>> request = HttpRequest.parseQuery(URI.create(login.requestUrl()).getRawQuery());
    boolean promptLogin = first(request, "prompt").map(p -> List.of(p.split(" ")).contains("login")).orElse(false);
    Long maxAge = first(request, "max_age").map(LoginConsentProvider::seconds).orElse(null);
    Instant now = clock.instant();
    if (session.isPresent()) {
      Session s = session.get();
      boolean tooOld = maxAge != null && s.authenticatedAt().plusSeconds(maxAge).isBefore(now);
      boolean reauthenticated = authStarted(r, challenge).map(t -> !s.authenticatedAt().isBefore(t)).orElse(false);
      if (((!promptLogin && !tooOld) || reauthenticated) && secondFactorMissing(token.get())) {
        // session.whoami.required_aal (highest_available): the identity's second factor first, then back here
        return HttpResponse.redirect(303, selfServiceUrl + "/self-service/login/browser?aal=aal2&return_to="
            + enc(back(challenge)));
      }
      if ((!promptLogin && !tooOld) || reauthenticated) {
        log.debug("login challenge accepted with session {}", s.id());
        return accepted(challenge, s.identityId().toString(), s).toBuilder()
            .cookie(Cookie.delete(AUTH_STARTED_COOKIE, cookiePath()).withSecure(secureCookies)).build();
      }
    }
    // through ory-identity's login flow, back here afterwards (a refresh flow when re-authentication is required)
    String to = selfServiceUrl + "/self-service/login/browser?" + (session.isPresent() ? "refresh=true&" : "")
        + "return_to=" + enc(back(challenge));
    return HttpResponse.redirect(303, to).toBuilder().cookie(authStartedCookie(challenge, now)).build();
  }

  /** This login page with its challenge: where ory-identity's flows return to. */
  private String back(String challenge) {
    return uiUrl.toString().replaceAll("/+$", "") + "/login?login_challenge=" + enc(challenge);
  }

  /** True when the session lacks the second factor that {@code session.whoami.required_aal} asks of its identity. */
  private boolean secondFactorMissing(String token) {
    try {
      identities.whoami(token, identities.whoamiRequiredAal());
      return false;
    } catch (OryException e) {
      if ("session_aal2_required".equals(e.error().id())) {
        return true;
      }
      throw e;
    }
  }

  private HttpResponse accepted(String challenge, String subject, @Nullable Session s) {
    AcceptLogin accept = AcceptLogin.subject(subject);
    if (s != null) {
      long remember = Math.max(1, Duration.between(clock.instant(), s.expiresAt()).toSeconds());
      List<String> amr = s.authenticationMethods().stream().map(Session.AuthenticationMethod::method).distinct()
          .toList();
      accept = new AcceptLogin(subject, true, remember, s.authenticatorAssuranceLevel(), amr, null, null);
    }
    return HttpResponse.redirect(303, provider.acceptLogin(challenge, accept).redirectTo());
  }

  // ---- consent ----

  private HttpResponse consentPage(HttpRequest r) {
    String challenge = required(r.queryParam("consent_challenge"), "consent_challenge");
    ConsentRequest consent = provider.consentRequest(challenge);
    ClientId client = consent.client().clientId();
    if (consent.skip() || (client != null && firstPartyClients.contains(client))) {
      log.debug("consent for client {} granted without asking ({})", client, consent.skip() ? "remembered"
          : "first-party");
      return HttpResponse.redirect(303, provider.acceptConsent(challenge, grant(consent, false)).redirectTo());
    }
    String csrf = secrets.nextToken(24);
    String name = consent.client().clientName().isEmpty() ? String.valueOf(client) : consent.client().clientName();
    return page(pages.consent(new LoginConsentPages.Consent(path + "/consent", challenge, csrf,
        String.valueOf(client), name, consent.client().logoUri(), consent.requestedScope(),
        consent.requestedAudience())), csrf);
  }

  private HttpResponse consentSubmit(HttpRequest r) {
    requireCsrf(r);
    String challenge = required(r.formParam("challenge"), "challenge");
    ConsentRequest consent = provider.consentRequest(challenge);
    String decision = r.formParam("decision").orElse("");
    if (decision.equals("allow")) {
      boolean remember = r.formParam("remember").filter("true"::equals).isPresent();
      return HttpResponse.redirect(303, provider.acceptConsent(challenge, grant(consent, remember)).redirectTo());
    }
    if (!decision.equals("deny")) {
      throw OryException.invalidField("decision", "must be allow or deny");
    }
    log.debug("consent for client {} denied", consent.client().clientId());
    return HttpResponse.redirect(303, provider.rejectConsent(challenge, RejectRequest.accessDenied(
        "The resource owner denied the request.")).redirectTo());
  }

  /** Grants the requested scopes and audience; the ID token gets the identity's email when {@code email} is granted. */
  private AcceptConsent grant(ConsentRequest consent, boolean remember) {
    AcceptConsent accept = new AcceptConsent(consent.requestedScope(), consent.requestedAudience(), remember,
        remember ? rememberConsentFor.toSeconds() : 0, null);
    Map<String, Object> idToken = idTokenClaims(consent);
    return idToken.isEmpty() ? accept : accept.withSession(Map.of(), idToken);
  }

  private Map<String, Object> idTokenClaims(ConsentRequest consent) {
    Map<String, Object> claims = new LinkedHashMap<>();
    if (!consent.requestedScope().contains("email")) {
      return claims;
    }
    java.util.UUID id;
    try {
      id = java.util.UUID.fromString(consent.subject());
    } catch (IllegalArgumentException e) {
      return claims;
    }
    identities.getIdentity(id, false).ifPresent(i -> {
      String email = i.traits().path("email").asText("");
      if (!email.isEmpty()) {
        claims.put("email", email);
        claims.put("email_verified", i.verifiableAddresses().stream().anyMatch(a -> a.value().equalsIgnoreCase(email)
            && a.verified()));
      }
    });
    return claims;
  }

  // ---- logout ----

  private HttpResponse logoutPage(HttpRequest r) {
    String challenge = required(r.queryParam("logout_challenge"), "logout_challenge");
    Map<String, Object> logout = provider.logoutRequest(challenge);
    if (Boolean.TRUE.equals(logout.get("rp_initiated"))) {
      return logout(r, challenge, logout);
    }
    String csrf = secrets.nextToken(24);
    return page(pages.logout(new LoginConsentPages.Logout(path + "/logout", challenge, csrf)), csrf);
  }

  private HttpResponse logoutSubmit(HttpRequest r) {
    requireCsrf(r);
    String challenge = required(r.formParam("challenge"), "challenge");
    Map<String, Object> logout = provider.logoutRequest(challenge);
    String decision = r.formParam("decision").orElse("");
    if (decision.equals("yes")) {
      return logout(r, challenge, logout);
    }
    if (!decision.equals("no")) {
      throw OryException.invalidField("decision", "must be yes or no");
    }
    provider.rejectLogout(challenge);
    // the session stays: back to the host's front page
    return HttpResponse.redirect(303, uiUrl.resolve("/").toString());
  }

  /** Revokes the browser's Kratos session (when it is the logout's subject, or the logout names none), then accepts. */
  private HttpResponse logout(HttpRequest r, String challenge, Map<String, Object> logout) {
    String subject = String.valueOf(logout.getOrDefault("subject", ""));
    HttpResponse.Builder res = HttpResponse.builder(303);
    Optional<String> token = r.cookie(IdentityApi.SESSION_COOKIE);
    Optional<Session> session = token.flatMap(identities::whoami);
    if (session.isPresent() && (subject.isEmpty() || subject.equals(session.get().identityId().toString()))) {
      identities.logout(token.get());
      log.debug("session {} revoked by an OAuth 2.0 logout", session.get().id());
      res.cookie(Cookie.delete(IdentityApi.SESSION_COOKIE, "/").withSecure(secureCookies));
    }
    return res.header("Location", provider.acceptLogout(challenge).redirectTo()).build();
  }

  // ---- helpers ----

  private void requireCsrf(HttpRequest r) {
    if (!ConstantTime.equals(r.cookie(CSRF_COOKIE).orElse(null), r.formParam("csrf_token").orElse(null))) {
      throw OryException.forbidden("The form was not submitted from this site (CSRF check failed); reload the page.")
          .withId("security_csrf_violation");
    }
  }

  private String cookiePath() {
    return path.isEmpty() ? "/" : path;
  }

  private HttpResponse page(String html, @Nullable String csrf) {
    HttpResponse.Builder b = HttpResponse.html(200, html).toBuilder().header("Content-Security-Policy", CSP)
        .header("X-Frame-Options", "DENY").header("Cache-Control", "no-store")
        .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff");
    if (csrf != null) {
      b.cookie(Cookie.of(CSRF_COOKIE, csrf).withSecure(secureCookies).withPath(cookiePath()));
    }
    return b.build();
  }

  private Cookie authStartedCookie(String challenge, Instant now) {
    String t = Long.toString(now.toEpochMilli());
    return Cookie.of(AUTH_STARTED_COOKIE, t + "." + mac(challenge + "|" + t)).withSecure(secureCookies)
        .withPath(cookiePath()).withMaxAge(Duration.ofHours(1));
  }

  /** When this router sent the browser to authenticate for {@code challenge}, from its MAC'd cookie. */
  private Optional<Instant> authStarted(HttpRequest r, String challenge) {
    return r.cookie(AUTH_STARTED_COOKIE).flatMap(v -> {
      int dot = v.indexOf('.');
      if (dot < 1) {
        return Optional.empty();
      }
      String t = v.substring(0, dot);
      if (!ConstantTime.equals(v.substring(dot + 1), mac(challenge + "|" + t))) {
        return Optional.empty();
      }
      try {
        return Optional.of(Instant.ofEpochMilli(Long.parseLong(t)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    });
  }

  private String mac(String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(macKey, "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(m.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  private static Optional<String> first(Map<String, List<String>> q, String name) {
    return Optional.ofNullable(q.get(name)).filter(l -> !l.isEmpty()).map(l -> l.get(0)).filter(s -> !s.isEmpty());
  }

  private static @Nullable Long seconds(String v) {
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : s;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String required(Optional<String> v, String name) {
    return v.filter(s -> !s.isEmpty()).orElseThrow(() -> OryException.invalidField(name, "is required"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Builds a {@link LoginConsentProvider}; {@code provider}, {@code identities}, {@code uiUrl} and
   * {@code selfServiceUrl} are required. */
  public static final class Builder {
    private @Nullable OAuth2Provider provider;
    private @Nullable IdentityService identities;
    private OryJson json = OryJson.create();
    private Clock clock = Clock.systemUTC();
    private @Nullable URI uiUrl;
    private @Nullable URI selfServiceUrl;
    private boolean secureCookies = true;
    private Set<ClientId> firstPartyClients = Set.of();
    private Duration rememberConsentFor = Duration.ofDays(30);
    private LoginConsentPages pages = LoginConsentPages.ory();
    private SecretGenerator secretGenerator = SecretGenerator.secureRandom();
    private @Nullable SystemSecrets systemSecrets;

    private Builder() {}

    /** The OAuth 2.0 provider whose challenges this answers. */
    public Builder provider(OAuth2Provider v) {
      this.provider = Objects.requireNonNull(v);
      return this;
    }

    /** The identity service whose sessions answer them. */
    public Builder identities(IdentityService v) {
      this.identities = Objects.requireNonNull(v);
      return this;
    }

    public Builder json(OryJson v) {
      this.json = Objects.requireNonNull(v);
      return this;
    }

    /** The clock {@code max_age} is checked with; the identity service's. */
    public Builder clock(Clock v) {
      this.clock = Objects.requireNonNull(v);
      return this;
    }

    /** The public URL of this router's pages, such as {@code https://app.example/ui}: it serves its path. */
    public Builder uiUrl(URI v) {
      this.uiUrl = Objects.requireNonNull(v);
      return this;
    }

    /** The public base URL of ory-identity's self-service API ({@code /self-service/login/browser}). */
    public Builder selfServiceUrl(URI v) {
      this.selfServiceUrl = Objects.requireNonNull(v);
      return this;
    }

    /** Whether cookies carry {@code Secure}; true unless serving plain HTTP in development. */
    public Builder secureCookies(boolean v) {
      this.secureCookies = v;
      return this;
    }

    /** Clients whose consent is granted without asking (the host's own apps). */
    public Builder firstPartyClients(Set<ClientId> v) {
      this.firstPartyClients = Set.copyOf(v);
      return this;
    }

    /** How long a consent the user asked to remember lasts; 30 days by default, 0 for ever. */
    public Builder rememberConsentFor(Duration v) {
      if (v.isNegative()) {
        throw new IllegalArgumentException("rememberConsentFor must not be negative");
      }
      this.rememberConsentFor = v;
      return this;
    }

    /** The HTML pages (templates); {@link LoginConsentPages#ory()} by default. */
    public Builder pages(LoginConsentPages v) {
      this.pages = Objects.requireNonNull(v);
      return this;
    }

    public Builder secretGenerator(SecretGenerator v) {
      this.secretGenerator = Objects.requireNonNull(v);
      return this;
    }

    /**
     * The system secrets the re-authentication cookie is MAC'd with, so that several processes accept each other's;
     * without them a random per-process key is used.
     */
    public Builder systemSecrets(SystemSecrets v) {
      this.systemSecrets = Objects.requireNonNull(v);
      return this;
    }

    public LoginConsentProvider build() {
      if (uiUrl != null && (!uiUrl.isAbsolute() || uiUrl.getHost() == null)) {
        throw new IllegalArgumentException("uiUrl must be an absolute URL, was " + uiUrl);
      }
      return new LoginConsentProvider(this);
    }
  }
}
