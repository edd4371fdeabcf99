package io.ory4j.examples;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.Cookie;
import io.ory4j.core.http.Html;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.id.SecretGenerator;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.ConstantTime;
import io.ory4j.identity.IdentityException;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.Session;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.ConsentRequest;
import io.ory4j.oauth2.LoginRequest;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.RejectRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The example's login, consent and logout pages: Hydra's challenges answered with ory-identity's accounts, in
 * process (as a Kratos-backed login app does for Hydra). Login accepts the browser's Kratos session when it has one,
 * else asks for email and password; consent shows the client and scopes. Forms carry a CSRF token bound to a cookie.
 */
final class LoginConsentUi {

  private static final String CSRF_COOKIE = "ui_csrf";

  private final OAuth2Provider provider;
  private final IdentityService identities;
  private final OryJson json;
  private final boolean secureCookies;
  private final SecretGenerator secrets = SecretGenerator.secureRandom();

  LoginConsentUi(OAuth2Provider provider, IdentityService identities, OryJson json, boolean secureCookies) {
    this.provider = provider;
    this.identities = identities;
    this.json = json;
    this.secureCookies = secureCookies;
  }

  Router router() {
    return Router.builder(new OryErrorRenderer(json))
        .get("/ui/login", this::loginPage)
        .post("/ui/login", this::loginSubmit)
        .get("/ui/consent", this::consentPage)
        .post("/ui/consent", this::consentSubmit)
        .get("/ui/logout", r -> HttpResponse.redirect(303, provider.acceptLogout(require(r.queryParam(
            "logout_challenge"), "logout_challenge")).redirectTo()))
        .get("/ui/logged-out", r -> page("Signed out", "<p>You are signed out.</p>"))
        .build();
  }

  private HttpResponse loginPage(HttpRequest r) {
    String challenge = require(r.queryParam("login_challenge"), "login_challenge");
    LoginRequest login = provider.loginRequest(challenge);
    if (login.skip()) {
      return HttpResponse.redirect(303, provider.acceptLogin(challenge, AcceptLogin.subject(login.subject()))
          .redirectTo());
    }
    Optional<Session> session = r.cookie(IdentityApi.SESSION_COOKIE).flatMap(identities::whoami);
    if (session.isPresent()) {
      return HttpResponse.redirect(303, provider.acceptLogin(challenge, AcceptLogin.subject(session.get()
          .identityId().toString())).redirectTo());
    }
    return loginForm(challenge, login.client().clientName(), null);
  }

  private HttpResponse loginForm(String challenge, String clientName, String error) {
    String csrf = secrets.nextToken(24);
    String body = "<p>Sign in to continue to <b>" + Html.escape(clientName == null || clientName.isEmpty() ? "the application" : clientName)
        + "</b>.</p>" + (error == null ? "" : "<p class=\"error\">" + Html.escape(error) + "</p>")
        + "<form method=\"post\" action=\"/ui/login\">"
        + hidden("challenge", challenge) + hidden("csrf_token", csrf)
        + "<label>Email <input name=\"email\" type=\"email\" autocomplete=\"username\" required></label>"
        + "<label>Password <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
        + "</label><label><input type=\"checkbox\" name=\"remember\" value=\"true\"> Remember me</label>"
        + "<button type=\"submit\">Sign in</button></form>";
    return page("Sign in", body).toBuilder().cookie(csrfCookie(csrf)).build();
  }

  private HttpResponse loginSubmit(HttpRequest r) {
    requireCsrf(r);
    String challenge = require(r.formParam("challenge"), "challenge");
    LoginRequest login = provider.loginRequest(challenge);
    try {
      IdentityService.Login result = identities.loginWithPassword(r.formParam("email").orElse(""),
          r.formParam("password").orElse(""));
      AcceptLogin accept = AcceptLogin.subject(result.identity().id().toString());
      if (r.formParam("remember").isPresent()) {
        accept = accept.remember(Duration.ofDays(30).toSeconds());
      }
      return HttpResponse.redirect(303, provider.acceptLogin(challenge, accept).redirectTo()).toBuilder()
          .cookie(Cookie.of(IdentityApi.SESSION_COOKIE, result.sessionToken()).withSecure(secureCookies)).build();
    } catch (IdentityException e) {
      return loginForm(challenge, login.client().clientName(), e.messages().get(0).text());
    }
  }

  private HttpResponse consentPage(HttpRequest r) {
    String challenge = require(r.queryParam("consent_challenge"), "consent_challenge");
    ConsentRequest consent = provider.consentRequest(challenge);
    if (consent.skip()) {
      return HttpResponse.redirect(303, provider.acceptConsent(challenge, AcceptConsent.scopes(
          consent.requestedScope())).redirectTo());
    }
    String csrf = secrets.nextToken(24);
    StringBuilder scopes = new StringBuilder("<ul>");
    consent.requestedScope().forEach(s -> scopes.append("<li>").append(Html.escape(s)).append("</li>"));
    scopes.append("</ul>");
    String name = consent.client().clientName() == null || consent.client().clientName().isEmpty()
        ? String.valueOf(consent.client().clientId()) : consent.client().clientName();
    String body = "<p><b>" + Html.escape(name) + "</b> asks for:</p>" + scopes
        + "<form method=\"post\" action=\"/ui/consent\">" + hidden("challenge", challenge) + hidden("csrf_token", csrf)
        + "<label><input type=\"checkbox\" name=\"remember\" value=\"true\"> Remember this decision</label>"
        + "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
        + "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>";
    return page("Consent", body).toBuilder().cookie(csrfCookie(csrf)).build();
  }

  private HttpResponse consentSubmit(HttpRequest r) {
    requireCsrf(r);
    String challenge = require(r.formParam("challenge"), "challenge");
    ConsentRequest consent = provider.consentRequest(challenge);
    if (!"allow".equals(r.formParam("decision").orElse(""))) {
      return HttpResponse.redirect(303, provider.rejectConsent(challenge, new RejectRequest("access_denied",
          "The resource owner denied the request.", null, null, 403)).redirectTo());
    }
    AcceptConsent accept = AcceptConsent.scopes(consent.requestedScope());
    if (r.formParam("remember").isPresent()) {
      accept = accept.remember(Duration.ofDays(30).toSeconds());
    }
    return HttpResponse.redirect(303, provider.acceptConsent(challenge, accept).redirectTo());
  }

  private void requireCsrf(HttpRequest r) {
    if (!ConstantTime.equals(r.cookie(CSRF_COOKIE).orElse(null), r.formParam("csrf_token").orElse(null))) {
      throw OryException.forbidden("The form was not submitted from this site (CSRF check failed); reload the page.");
    }
  }

  private Cookie csrfCookie(String token) {
    return Cookie.of(CSRF_COOKIE, token).withSecure(secureCookies).withPath("/ui");
  }

  private static String require(Optional<String> v, String name) {
    return v.filter(s -> !s.isEmpty()).orElseThrow(() -> OryException.invalidField(name, "is required"));
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
  }

  private static HttpResponse page(String title, String body) {
    return Pages.page(title, body);
  }
}
