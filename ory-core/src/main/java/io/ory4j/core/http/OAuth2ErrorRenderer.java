package io.ory4j.core.http;

import io.ory4j.core.error.OAuth2Error;
import io.ory4j.core.error.OAuth2Exception;
import io.ory4j.core.error.OryException;
import io.ory4j.core.json.OryJson;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Renders RFC 6749 errors as Hydra does. By default the hint is folded into {@code error_description} (Hydra's
 * default); with {@code legacyFields} the body also carries {@code error_hint}, {@code error_debug} (when exposed)
 * and {@code status_code}, as Hydra's {@code oauth2.include_legacy_error_fields}. A 401 carries
 * {@code WWW-Authenticate}. An error with a redirect channel goes back to the client: in the query, the fragment, or
 * an auto-submitting form ({@code form_post}), with {@code state} and, when set, {@code iss} (RFC 9207).
 */
public final class OAuth2ErrorRenderer implements ErrorRenderer {

  private final OryJson json;
  private final boolean legacyFields;
  private final boolean exposeDebug;

  public OAuth2ErrorRenderer(OryJson json) {
    this(json, false, false);
  }

  public OAuth2ErrorRenderer(OryJson json, boolean legacyFields, boolean exposeDebug) {
    this.json = Objects.requireNonNull(json, "json");
    this.legacyFields = legacyFields;
    this.exposeDebug = exposeDebug;
  }

  @Override
  public HttpResponse render(OryException error, HttpRequest request) {
    OAuth2Error e = error.toOAuth2Error();
    Map<String, Object> fields = fields(e);
    if (error instanceof OAuth2Exception o && o.channel() != null) {
      return redirect(o.channel(), fields);
    }
    HttpResponse.Builder b = HttpResponse.builder(e.status())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Cache-Control", "no-store")
        .header("Pragma", "no-cache")
        .body(json.writeBytes(fields));
    if (e.status() == 401) {
      String scheme = "invalid_token".equals(e.error()) ? "Bearer" : "Basic";
      b.header("WWW-Authenticate", scheme + " error=\"" + e.error() + "\", error_description=\""
          + e.description().replace("\"", "'") + "\"");
    }
    return b.build();
  }

  /** The error's fields, in Hydra's shape. */
  public Map<String, Object> fields(OAuth2Error e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", e.error());
    if (legacyFields) {
      m.put("error_description", e.description());
      if (e.hint() != null) {
        m.put("error_hint", e.hint());
      }
      if (exposeDebug && e.debug() != null) {
        m.put("error_debug", e.debug());
      }
      m.put("status_code", e.status());
    } else {
      m.put("error_description", e.descriptionWithHint());
      if (exposeDebug && e.debug() != null) {
        m.put("error_debug", e.debug());
      }
    }
    return m;
  }

  private HttpResponse redirect(OAuth2Exception.Channel ch, Map<String, Object> fields) {
    Map<String, String> params = new LinkedHashMap<>();
    fields.forEach((k, v) -> {
      if (!"status_code".equals(k)) {
        params.put(k, String.valueOf(v));
      }
    });
    if (ch.state() != null) {
      params.put("state", ch.state());
    }
    if (ch.issuer() != null) {
      params.put("iss", ch.issuer());
    }
    String base = ch.redirectUri().toString();
    switch (ch.responseMode()) {
      case "form_post" -> {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Submit This Form</title></head>"
            + "<body onload=\"javascript:document.forms[0].submit()\"><form method=\"post\" action=\"")
            .append(Html.escape(base)).append("\">");
        params.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(Html.escape(k))
            .append("\" value=\"").append(Html.escape(v)).append("\"/>"));
        html.append("</form></body></html>");
        return HttpResponse.html(200, html.toString());
      }
      case "fragment" -> {
        int hash = base.indexOf('#');
        String noFragment = hash < 0 ? base : base.substring(0, hash);
        return HttpResponse.redirect(303, noFragment + "#" + encode(params));
      }
      default -> {
        String sep = base.contains("?") ? "&" : "?";
        return HttpResponse.redirect(303, base + sep + encode(params));
      }
    }
  }

  private static String encode(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    params.forEach((k, v) -> {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
    });
    return sb.toString();
  }
}
