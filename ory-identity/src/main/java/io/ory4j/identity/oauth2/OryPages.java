package io.ory4j.identity.oauth2;

import io.ory4j.core.http.Html;

/** The default {@link LoginConsentPages}: small, script-free pages styled after Ory's account experience. */
final class OryPages implements LoginConsentPages {

  static final OryPages INSTANCE = new OryPages();

  private static final String STYLE = "body{font-family:Inter,system-ui,sans-serif;background:#f8fafc;color:#0f172a;"
      + "display:flex;justify-content:center;padding:48px 16px}main{background:#fff;border:1px solid #e2e8f0;"
      + "border-radius:8px;padding:32px;max-width:400px;width:100%}h1{font-size:20px;margin:0 0 16px}"
      + "ul{padding-left:20px}button{display:block;width:100%;margin-top:12px;padding:10px;border-radius:4px;"
      + "border:1px solid #3d53f5;background:#3d53f5;color:#fff;font-size:14px;cursor:pointer}"
      + "button.secondary{background:#fff;color:#3d53f5}label{display:block;margin-top:12px;font-size:14px}"
      + "img{max-height:48px;margin-bottom:12px}";

  private OryPages() {}

  @Override
  public String consent(Consent c) {
    StringBuilder scopes = new StringBuilder("<ul class=\"scopes\">");
    c.scopes().forEach(s -> scopes.append("<li>").append(Html.escape(s)).append("</li>"));
    scopes.append("</ul>");
    String logo = c.logoUri().isEmpty() ? "" : "<img alt=\"\" src=\"" + Html.escape(c.logoUri()) + "\">";
    return frame("Authorize " + c.clientName(), logo + "<p>The application <b>" + Html.escape(c.clientName())
        + "</b> wants access to your account with these permissions:</p>" + scopes
        + "<form method=\"post\" action=\"" + Html.escape(c.action()) + "\">" + hidden("challenge", c.challenge())
        + hidden("csrf_token", c.csrfToken())
        + "<label><input type=\"checkbox\" name=\"remember\" value=\"true\"> Remember my decision</label>"
        + "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow access</button>"
        + "<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></form>");
  }

  @Override
  public String logout(Logout l) {
    return frame("Sign out", "<p>Do you want to sign out?</p><form method=\"post\" action=\""
        + Html.escape(l.action()) + "\">" + hidden("challenge", l.challenge()) + hidden("csrf_token", l.csrfToken())
        + "<button type=\"submit\" name=\"decision\" value=\"yes\">Yes, sign me out</button>"
        + "<button class=\"secondary\" type=\"submit\" name=\"decision\" value=\"no\">No, stay signed in</button>"
        + "</form>");
  }

  @Override
  public String loggedOut() {
    return frame("Signed out", "<p>You are signed out.</p>");
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.escape(value) + "\">";
  }

  private static String frame(String title, String body) {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
        + "<title>" + Html.escape(title) + "</title><style>" + STYLE + "</style></head><body><main><h1>"
        + Html.escape(title) + "</h1>" + body + "</main></body></html>";
  }
}
