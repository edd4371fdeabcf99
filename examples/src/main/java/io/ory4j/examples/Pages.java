package io.ory4j.examples;

import io.ory4j.core.http.Html;
import io.ory4j.core.http.HttpResponse;

/**
 * The frame of the example's HTML pages, with the headers every one of them sends: no framing (clickjacking), no
 * caching (flows, challenges and CSRF tokens are per request), no Referer (their URLs carry flow ids and challenges),
 * and a content security policy that allows only the example's own scripts (images also as {@code data:}, for the
 * TOTP QR code).
 */
final class Pages {
  static final String CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

  private Pages() {}

  static HttpResponse page(String title, String body) {
    String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + Html.escape(title)
        + "</title></head><body><h1>" + Html.escape(title) + "</h1>" + body + "</body></html>";
    return secure(HttpResponse.html(200, html));
  }

  static HttpResponse secure(HttpResponse response) {
    return response.toBuilder().header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY")
        .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
        .header("X-Content-Type-Options", "nosniff").build();
  }
}
