package io.ory4j.examples;

import com.fasterxml.jackson.databind.JsonNode;
import io.ory4j.core.http.Html;
import io.ory4j.core.http.HttpHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The example's self-service pages, written the way a UI for Kratos is (as kratos-selfservice-ui-node): each page
 * starts a browser flow when it has none, fetches the flow's JSON from the identity API with the browser's cookies,
 * and renders its {@code ui} nodes as plain HTML forms that post to the flow's {@code action}; everything the page
 * knows comes from that JSON. Pages: {@code /login}, {@code /registration}, {@code /settings}, {@code /verification},
 * {@code /recovery}, {@code /error}, and the home page {@code /} with the links a signed-in or anonymous user needs.
 * Every node type Kratos defines is rendered: inputs, hidden inputs, buttons (WebAuthn's with their {@code onclick}),
 * {@code text}, {@code a}, {@code img} (the TOTP QR code, a {@code data:} URL) and {@code script} (the WebAuthn
 * helper, with its integrity); each page's content security policy allows only the origin's own scripts and the
 * exact inline handlers that page carries, by hash.
 */
final class SelfServiceUi {
  private static final Set<String> FLOWS = Set.of("login", "registration", "settings", "verification", "recovery");
  private static final Map<String, String> TITLES = Map.of("login", "Sign in", "registration", "Create an account",
      "settings", "Account settings", "verification", "Verify your email address", "recovery",
      "Recover your account");
  private static final java.util.regex.Pattern SRI = java.util.regex.Pattern.compile(
      "sha(256|384|512)-[A-Za-z0-9+/]+={0,2}");
  /** Kratos' trigger names ({@code onloadTrigger}, {@code onclickTrigger}): Ory's own, as {@code oryPasskeyLogin}. */
  private static final java.util.regex.Pattern TRIGGER = java.util.regex.Pattern.compile("ory[A-Za-z]{1,60}");

  /** The example's page script: runs the flow nodes' {@code onloadTrigger}s (a hidden input has no load event). */
  static final String PAGE_SCRIPT = "/self-service-ui.js";
  private static final String PAGE_SCRIPT_BODY = """
      'use strict';
      // Kratos' onloadTrigger: call window.__<trigger> (ory4j's webauthn.js) or window.<trigger> once the page and
      // its async scripts have loaded; the trigger is one of Ory's function names, never code
      window.addEventListener('load', function () {
        document.querySelectorAll('[data-onload-trigger]').forEach(function (el) {
          var t = el.getAttribute('data-onload-trigger');
          var fn = /^ory[A-Za-z]+$/.test(t) ? (window['__' + t] || window[t]) : null;
          if (typeof fn === 'function') { fn(); }
        });
      });
      """;

  private final HttpHandler identityPublicApi;
  private final OryJson json;

  /** @param identityPublicApi Kratos' public API of the example, asked in process */
  SelfServiceUi(HttpHandler identityPublicApi, OryJson json) {
    this.identityPublicApi = identityPublicApi;
    this.json = json;
  }

  Router router() {
    Router.Builder b = Router.builder(new OryErrorRenderer(json)).get("/", this::home).get("/error", this::error)
        .get(PAGE_SCRIPT, r -> Pages.secure(HttpResponse.builder(200)
            .header("Content-Type", "text/javascript; charset=utf-8").body(PAGE_SCRIPT_BODY).build()));
    for (String type : FLOWS) {
      b.get("/" + type, r -> flowPage(type, r));
    }
    return b.build();
  }

  /** Asks the identity API in process, as the browser would, with the browser's cookies. */
  private HttpResponse ask(HttpRequest browser, String target) {
    HttpRequest.Builder req = HttpRequest.builder().method("GET").scheme(browser.scheme()).host(browser.host())
        .target(target).header("Accept", "application/json").remoteAddress(browser.remoteAddress());
    browser.header("Cookie").ifPresent(c -> req.header("Cookie", c));
    return identityPublicApi.handle(req.build());
  }

  private HttpResponse flowPage(String type, HttpRequest r) {
    String flowId = r.queryParam("flow").orElse("");
    if (flowId.isEmpty()) {
      return HttpResponse.redirect(303, "/self-service/" + type + "/browser" + passThrough(r));
    }
    HttpResponse answer = ask(r, "/self-service/" + type + "/flows?id=" + enc(flowId));
    if (answer.status() != 200) {
      // expired, unknown or not this browser's: start a new one, as Kratos' UIs do
      return HttpResponse.redirect(303, "/self-service/" + type + "/browser" + passThrough(r));
    }
    JsonNode flow = json.readTree(answer.body());
    StringBuilder body = new StringBuilder();
    messages(body, flow.path("ui").path("messages"));
    if ("verification".equals(type) || "recovery".equals(type)) {
      String state = flow.path("state").asText("");
      if ("passed_challenge".equals(state)) {
        body.append("<p class=\"done\">Done. <a href=\"/\">Continue</a></p>");
      }
    }
    Scripts scripts = renderForms(body, flow.path("ui"));
    body.append(links(type));
    if ("login".equals(type)) {
      // a second-factor step is a login page too: whoever is half signed in may rather sign out
      logoutLink(r).ifPresent(body::append);
    }
    return Pages.page(TITLES.get(type), body.toString(), scripts.sources());
  }

  /**
   * What a page's nodes need its content security policy to allow besides {@code 'self'}: the exact inline
   * {@code onclick} handlers of the WebAuthn and passkey buttons (as {@code 'unsafe-hashes'} with their SHA-256, so no
   * other inline script runs) and the script nodes' subresource integrity hashes.
   */
  static final class Scripts {
    private final java.util.LinkedHashSet<String> sources = new java.util.LinkedHashSet<>();
    private boolean handlers;

    void handler(String code) {
      handlers = true;
      sources.add("'sha256-" + java.util.Base64.getEncoder().encodeToString(sha256(code)) + "'");
    }

    void integrity(String integrity) {
      // only a well-formed SRI hash goes into the header (no header injection from a node's attributes)
      if (SRI.matcher(integrity).matches()) {
        sources.add("'" + integrity + "'");
      }
    }

    /** The extra {@code script-src} sources, in the order the page met them. */
    List<String> sources() {
      List<String> out = new ArrayList<>();
      if (handlers) {
        out.add("'unsafe-hashes'");
      }
      out.addAll(sources);
      return out;
    }

    private static byte[] sha256(String s) {
      try {
        return java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * One form per node group (the default group's nodes, such as csrf_token, go into each), as Kratos' UIs do; script
   * nodes go once after the forms. A passkey or security key group that starts a first factor but has no traits or
   * identifier of its own gets them from the group that has them, so that its form posts them (Kratos' first step
   * of a passkey sign-up posts the traits with {@code method=passkey}; a passwordless one the identifier).
   */
  static Scripts renderForms(StringBuilder out, JsonNode ui) {
    Scripts scripts = new Scripts();
    Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
    List<JsonNode> common = new ArrayList<>();
    List<JsonNode> scriptNodes = new ArrayList<>();
    String sharedGroup = null;
    for (JsonNode node : ui.path("nodes")) {
      String group = node.path("group").asText("default");
      if ("script".equals(node.path("type").asText())) {
        scriptNodes.add(node);
      } else if ("default".equals(group)) {
        common.add(node);
      } else {
        groups.computeIfAbsent(group, g -> new ArrayList<>()).add(node);
        if (sharedGroup == null && isFirstFactorField(node)) {
          sharedGroup = group;
        }
      }
    }
    if (groups.isEmpty()) {
      groups.put("default", List.of());
    }
    if (sharedGroup != null) {
      shareFirstFactorFields(groups, sharedGroup);
    }
    for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
      out.append("<form method=\"").append(Html.escape(ui.path("method").asText("POST")))
          .append("\" action=\"").append(Html.escape(ui.path("action").asText(""))).append("\" data-group=\"")
          .append(Html.escape(g.getKey())).append("\">");
      for (JsonNode node : common) {
        node(out, node, scripts);
      }
      for (JsonNode node : g.getValue()) {
        node(out, node, scripts);
      }
      out.append("</form>");
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode node : scriptNodes) {
      if (seen.add(node.path("attributes").path("src").asText(""))) {
        script(out, node.path("attributes"), scripts);
      }
    }
    if (out.indexOf(" data-onload-trigger=\"") >= 0) {
      out.append("<script src=\"").append(PAGE_SCRIPT).append("\"></script>");
    }
    return scripts;
  }

  /** The fields a first-factor method posts along: the traits (sign-up) or the identifier (sign-in). */
  private static boolean isFirstFactorField(JsonNode node) {
    String name = node.path("attributes").path("name").asText("");
    return name.startsWith("traits.") || "identifier".equals(name);
  }

  /**
   * Gives the {@code passkey} and {@code webauthn} groups that start a first factor with their own
   * {@code method=<group>} button (passkey sign-up, passwordless security key sign-in) but have no traits or
   * identifier node the inputs of {@code from}, which has them (ory-identity places them in the password group).
   */
  private static void shareFirstFactorFields(Map<String, List<JsonNode>> groups, String from) {
    List<JsonNode> fields = groups.get(from).stream().filter(SelfServiceUi::isFirstFactorField).toList();
    for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
      boolean starts = g.getValue().stream().anyMatch(n -> "method".equals(n.path("attributes").path("name")
          .asText()) && g.getKey().equals(n.path("attributes").path("value").asText()));
      boolean hasFields = g.getValue().stream().anyMatch(SelfServiceUi::isFirstFactorField);
      if (("passkey".equals(g.getKey()) || "webauthn".equals(g.getKey())) && starts && !hasFields) {
        List<JsonNode> with = new ArrayList<>(fields);
        with.addAll(g.getValue());
        g.setValue(with);
      }
    }
  }

  /**
   * A script node as Ory Elements renders one: {@code src}, {@code integrity}, {@code crossorigin},
   * {@code referrerpolicy}, {@code type}, {@code id}, {@code async}, every value escaped; its integrity hash is also
   * named in the page's CSP. The node's {@code nonce} (empty from ory-identity) is not used: the script is the
   * page's own origin's, which the policy allows with {@code 'self'}.
   */
  private static void script(StringBuilder out, JsonNode a, Scripts scripts) {
    out.append("<script src=\"").append(Html.escape(a.path("src").asText(""))).append('"');
    for (String name : List.of("integrity", "crossorigin", "referrerpolicy", "type", "id")) {
      String v = a.path(name).asText("");
      if (!v.isEmpty()) {
        out.append(' ').append(name).append("=\"").append(Html.escape(v)).append('"');
      }
    }
    if (a.path("async").asBoolean(false)) {
      out.append(" async");
    }
    out.append("></script>");
    scripts.integrity(a.path("integrity").asText(""));
  }

  private static void node(StringBuilder out, JsonNode node, Scripts scripts) {
    JsonNode a = node.path("attributes");
    String label = node.path("meta").path("label").path("text").asText("");
    switch (node.path("type").asText("")) {
      case "input" -> {
        String type = a.path("type").asText("text");
        String name = a.path("name").asText("");
        String value = a.path("value").isMissingNode() || a.path("value").isNull() ? "" : a.path("value").asText();
        if ("hidden".equals(type)) {
          out.append("<input type=\"hidden\" name=\"").append(Html.escape(name)).append("\" value=\"")
              .append(Html.escape(value)).append('"');
          trigger(out, "data-onload-trigger", a.path("onloadTrigger").asText(""));
          out.append('>');
        } else if ("submit".equals(type) || "button".equals(type)) {
          // a "button" (WebAuthn's triggers) runs its onclick and does not submit: the script submits the form
          out.append("<button type=\"").append("button".equals(type) ? "button" : "submit").append("\" name=\"")
              .append(Html.escape(name)).append("\" value=\"").append(Html.escape(value)).append('"');
          String onclick = a.path("onclick").asText("");
          if (!onclick.isEmpty()) {
            out.append(" onclick=\"").append(Html.escape(onclick)).append('"');
            scripts.handler(onclick);
          }
          trigger(out, "data-onclick-trigger", a.path("onclickTrigger").asText(""));
          if (a.path("disabled").asBoolean(false)) {
            out.append(" disabled");
          }
          out.append('>').append(Html.escape(label.isEmpty() ? value : label)).append("</button>");
        } else {
          out.append("<label>").append(Html.escape(label.isEmpty() ? name : label)).append(" <input type=\"")
              .append(Html.escape(type)).append("\" name=\"").append(Html.escape(name)).append("\" value=\"")
              .append(Html.escape(value)).append('"');
          if (a.path("required").asBoolean(false)) {
            out.append(" required");
          }
          if (a.path("disabled").asBoolean(false)) {
            out.append(" disabled");
          }
          String autocomplete = a.path("autocomplete").asText("");
          if (!autocomplete.isEmpty()) {
            out.append(" autocomplete=\"").append(Html.escape(autocomplete)).append('"');
          }
          out.append("></label>");
        }
      }
      case "img" -> out.append("<p><img id=\"").append(Html.escape(a.path("id").asText(""))).append("\" src=\"")
          .append(Html.escape(a.path("src").asText(""))).append("\" alt=\"").append(Html.escape(label))
          .append("\"></p>");
      case "text" -> out.append("<p>").append(Html.escape(label)).append(" <code id=\"")
          .append(Html.escape(a.path("id").asText(""))).append("\">")
          .append(Html.escape(a.path("text").path("text").asText(""))).append("</code></p>");
      case "a" -> out.append("<p><a href=\"").append(Html.escape(a.path("href").asText(""))).append("\">")
          .append(Html.escape(a.path("title").path("text").asText(label))).append("</a></p>");
      default -> {
        // script nodes are written once after the forms (renderForms); a type Kratos does not define shows nothing
      }
    }
    messages(out, node.path("messages"));
  }

  /** Kratos' {@code onclickTrigger}/{@code onloadTrigger}: a bare function name, kept only when it is one. */
  private static void trigger(StringBuilder out, String attribute, String name) {
    if (TRIGGER.matcher(name).matches()) {
      out.append(' ').append(attribute).append("=\"").append(name).append('"');
    }
  }

  private static void messages(StringBuilder out, JsonNode messages) {
    for (JsonNode m : messages) {
      out.append("<p class=\"message ").append(Html.escape(m.path("type").asText("info"))).append("\" data-id=\"")
          .append(m.path("id").asLong()).append("\">").append(Html.escape(m.path("text").asText(""))).append("</p>");
    }
  }

  private HttpResponse home(HttpRequest r) {
    HttpResponse whoami = ask(r, "/sessions/whoami");
    StringBuilder body = new StringBuilder();
    if (whoami.status() == 200) {
      JsonNode session = json.readTree(whoami.body());
      String email = session.path("identity").path("traits").path("email").asText("");
      body.append("<p>Signed in as <b id=\"who\">").append(Html.escape(email)).append("</b> (")
          .append(Html.escape(session.path("authenticator_assurance_level").asText(""))).append(").</p>")
          .append("<ul><li><a href=\"/blog\">Blog</a></li><li><a href=\"/settings\">Account settings</a></li>");
      logoutLink(r).ifPresent(link -> body.append("<li>").append(link).append("</li>"));
      body.append("</ul>");
    } else if (whoami.status() == 403) {
      // signed in with the first factor only, and the second is required: step up
      return HttpResponse.redirect(303, "/self-service/login/browser?aal=aal2&return_to=" + enc(r.baseUrl().replaceAll("/+$", "") + "/"));
    } else {
      body.append("<p>You are not signed in.</p><ul><li><a href=\"/login\">Sign in</a></li>")
          .append("<li><a href=\"/registration\">Create an account</a></li>")
          .append("<li><a href=\"/recovery\">Recover your account</a></li><li><a href=\"/blog\">Blog</a></li></ul>");
    }
    return Pages.page("ory4j blog", body.toString());
  }

  /** A link that signs this browser's session out, when it has one. */
  private java.util.Optional<String> logoutLink(HttpRequest r) {
    HttpResponse logout = ask(r, "/self-service/logout/browser");
    if (logout.status() != 200) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of("<a id=\"logout\" href=\"" + Html.escape(json.readTree(logout.body())
        .path("logout_url").asText("")) + "\">Log out</a>");
  }

  private HttpResponse error(HttpRequest r) {
    String id = r.queryParam("id").orElse("");
    HttpResponse answer = ask(r, "/self-service/errors?id=" + enc(id));
    String text = answer.status() == 200 ? json.readTree(answer.body()).path("error").path("message").asText("")
        : "Something went wrong.";
    return Pages.page("Error", "<p class=\"message error\">" + Html.escape(text) + "</p><p><a href=\"/\">Home</a></p>");
  }

  private static String links(String type) {
    return switch (type) {
      case "login" -> "<p><a href=\"/registration\">Create an account</a> · <a href=\"/recovery\">Forgot your "
          + "password?</a></p>";
      case "registration" -> "<p><a href=\"/login\">Sign in instead</a></p>";
      default -> "<p><a href=\"/\">Home</a></p>";
    };
  }

  /** The query a UI passes on when it starts a flow ({@code return_to}, {@code aal}, {@code refresh}...). */
  private static String passThrough(HttpRequest r) {
    StringBuilder q = new StringBuilder();
    for (String key : List.of("return_to", "aal", "refresh", "login_challenge")) {
      r.queryParam(key).ifPresent(v -> q.append(q.length() == 0 ? '?' : '&').append(key).append('=')
          .append(enc(v)));
    }
    return q.toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
