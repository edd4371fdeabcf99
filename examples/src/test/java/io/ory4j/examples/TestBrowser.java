package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser for the HTTP-level tests: a cookie jar, redirects followed on request, forms read from pages. */
public final class TestBrowser {
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, String> jar = new LinkedHashMap<>();

  /** Sends with the jar's cookies and keeps the cookies the answer sets (a {@code Max-Age=0} one is dropped). */
  public HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    if (!jar.isEmpty()) {
      b.header("Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .toList()));
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    for (String c : r.headers().allValues("Set-Cookie")) {
      String kv = c.split(";", 2)[0];
      int i = kv.indexOf('=');
      if (c.contains("Max-Age=0")) {
        jar.remove(kv.substring(0, i));
      } else {
        jar.put(kv.substring(0, i), kv.substring(i + 1));
      }
    }
    return r;
  }

  /** The redirect's target, fetched once (the caller decides whether to go on). */
  public HttpResponse<String> follow(URI base, HttpResponse<String> r) throws IOException, InterruptedException {
    String location = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError(r.statusCode() + " "
        + r.body()));
    return send(HttpRequest.newBuilder(base.resolve(location)));
  }

  /** Opens {@code url} and follows every redirect, until a page answers. */
  public HttpResponse<String> open(URI url) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url));
    URI at = url;
    while (r.statusCode() / 100 == 3) {
      at = at.resolve(r.headers().firstValue("Location").orElseThrow());
      r = send(HttpRequest.newBuilder(at));
    }
    return r;
  }

  /** Posts a form and follows the redirects of the answer. */
  public HttpResponse<String> submit(URI url, String form) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    return r.statusCode() / 100 == 3 ? open(url.resolve(r.headers().firstValue("Location").orElseThrow())) : r;
  }

  /**
   * Signs in on the example's login page (ory-identity's login flow, rendered from its JSON) with a password, and
   * follows the redirects: through the OAuth 2.0 login challenge, the next page (the consent page) answers.
   */
  public HttpResponse<String> signIn(HttpResponse<String> loginPage, String email, String password)
      throws IOException, InterruptedException {
    Matcher action = Pattern.compile("action=\"([^\"]*/self-service/login\\?flow=[^\"]*)\" data-group=\"password\"")
        .matcher(loginPage.body());
    assertTrue(action.find(), "no password form on " + loginPage.body());
    URI url = URI.create(action.group(1).replace("&amp;", "&"));
    return followWithin(url, send(HttpRequest.newBuilder(url).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("csrf_token="
            + enc(field(loginPage.body(), "csrf_token")) + "&identifier=" + enc(email) + "&password=" + enc(password)
            + "&method=password"))));
  }

  /**
   * Follows the redirects of {@code r} while they stay on {@code server}'s origin; answers the first page, or the
   * redirect that leaves (to a client's callback), unfetched.
   */
  public HttpResponse<String> followWithin(URI server, HttpResponse<String> r) throws IOException,
      InterruptedException {
    URI at = server;
    for (int i = 0; i < 20 && r.statusCode() / 100 == 3; i++) {
      URI to = at.resolve(r.headers().firstValue("Location").orElseThrow());
      if (!java.util.Objects.equals(to.getScheme(), server.getScheme()) || !java.util.Objects.equals(to.getHost(),
          server.getHost()) || to.getPort() != server.getPort()) {
        return r;
      }
      at = to;
      r = send(HttpRequest.newBuilder(to));
    }
    return r;
  }

  /** A hidden field's value on a page (HTML-unescaped). */
  public static String field(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), "no field " + name + " in " + html);
    return m.group(1).replace("&amp;", "&");
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
