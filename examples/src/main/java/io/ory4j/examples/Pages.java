package io.ory4j.examples;

import io.ory4j.core.http.Html;
import io.ory4j.core.http.HttpResponse;

/**
 * The frame of the example's HTML pages, with the headers every one of them sends: no framing (clickjacking), no
 * caching (flows, challenges and CSRF tokens are per request), no Referer (their URLs carry flow ids and challenges),
 * and a content security policy that allows only the example's own scripts (images also as {@code data:}, for the
 * TOTP QR code), plus, on a self-service page with WebAuthn buttons, their exact inline handlers by hash.
 */
final class Pages {
  static final String CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

  private Pages() {}

  static HttpResponse page(String title, String body) {
    return page(title, body, java.util.List.of());
  }

  /**
   * A page whose scripts need more than {@code 'self'}: {@code scriptSources} are added to {@code script-src} (the
   * hashes of the WebAuthn buttons' inline handlers, the helper script's integrity hash).
   */
  static HttpResponse page(String title, String body, java.util.List<String> scriptSources) {
    String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
        + "</title></head><body><h1>" + Html.escape(title) + "</h1>" + body + "</body></html>";
    HttpResponse secured = secure(HttpResponse.html(200, html));
    if (scriptSources.isEmpty()) {
      return secured;
    }
    return secured.toBuilder().header("Content-Security-Policy", csp(scriptSources)).build();
  }

  /** {@link #CSP} with {@code script-src 'self'} and {@code extra}. */
  static String csp(java.util.List<String> extra) {
    return "default-src 'self'; script-src 'self' " + String.join(" ", extra)
        + "; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";
  }

  static HttpResponse secure(HttpResponse response) {
    return response.toBuilder().header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
        .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff").build();
  }
}
