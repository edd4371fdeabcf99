package io.ory4j.identity.oauth2;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test browser: a real HTTP client that keeps cookies and follows redirects by hand, recording the URLs it visits,
 * and stops at a URL outside the servers (a client's callback) without requesting it.
 */
final class Browser {

  /**
   * The cookie jar of host 127.0.0.1 (where the servers under test listen): name to cookie. The JDK's CookieManager
   * quotes Max-Age cookies, so a plain one. Cookies ignore ports, as browsers: a second server with its own cookies
   * is reached as {@code localhost}, whose cookies are kept apart in {@link #otherHosts}.
   */
  final Map<String, Jar> cookies = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Jar>> otherHosts = new ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** A cookie as the browser keeps it. */
  record Jar(String name, String value, String path, boolean httpOnly) {}
  /** Every URL requested or redirected to since the last {@link #open}, in order. */
  final List<URI> visited = new ArrayList<>();

  /** A page reached and the URL it was reached at. */
  record Page(URI url, int status, String body) {
    /** The value of the hidden or text input {@code name} of the page's form. */
    String field(String name) {
      Matcher m = Pattern.compile("name=\"" + Pattern.quote(name) + "\"[^>]*value=\"([^\"]*)\"").matcher(body);
      if (!m.find()) {
        Matcher json = Pattern.compile("\"name\":\"" + Pattern.quote(name) + "\"[^}]*\"value\":\"([^\"]*)\"")
            .matcher(body);
        if (!json.find()) {
          throw new AssertionError("no field " + name + " in " + body);
        }
        return json.group(1);
      }
      return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
          .replace("&gt;", ">");
    }
  }

  /** GETs {@code url} and follows redirects until a page, or a URL under {@code stopAt} (not requested). */
  Page open(URI url, String stopAt) throws Exception {
    visited.clear();
    return follow(send(HttpRequest.newBuilder(url).GET().build()), url, stopAt);
  }

  /** POSTs a form and follows redirects. */
  Page post(URI url, String stopAt, String... nameValues) throws Exception {
    visited.clear();
    return follow(send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString(form(nameValues))).build()), url, stopAt);
  }

  HttpResponse<String> send(HttpRequest r) throws Exception {
    visited.add(r.uri());
    String path = r.uri().getPath() == null || r.uri().getPath().isEmpty() ? "/" : r.uri().getPath();
    Map<String, Jar> jar = "127.0.0.1".equals(r.uri().getHost()) ? cookies
        : otherHosts.computeIfAbsent(String.valueOf(r.uri().getHost()), h -> new ConcurrentHashMap<>());
    String header = jar.values().stream().filter(c -> path.startsWith(c.path()))
        .map(c -> c.name() + "=" + c.value()).collect(java.util.stream.Collectors.joining("; "));
    HttpRequest withCookies = header.isEmpty() ? r : HttpRequest.newBuilder(r, (n, v) -> true).header("Cookie", header)
        .build();
    HttpResponse<String> res = http.send(withCookies, BodyHandlers.ofString());
    for (String set : res.headers().allValues("Set-Cookie")) {
      String[] parts = set.split(";");
      int eq = parts[0].indexOf('=');
      String name = parts[0].substring(0, eq).trim();
      String value = parts[0].substring(eq + 1).trim();
      String cookiePath = "/";
      boolean httpOnly = false;
      boolean expired = value.isEmpty();
      for (int i = 1; i < parts.length; i++) {
        String a = parts[i].trim();
        if (a.regionMatches(true, 0, "Path=", 0, 5)) {
          cookiePath = a.substring(5);
        } else if (a.equalsIgnoreCase("HttpOnly")) {
          httpOnly = true;
        } else if (a.regionMatches(true, 0, "Max-Age=", 0, 8) && a.substring(8).equals("0")) {
          expired = true;
        } else if (a.regionMatches(true, 0, "Expires=", 0, 8) && a.contains("1970")) {
          expired = true;
        }
      }
      if (expired) {
        jar.remove(name);
      } else {
        jar.put(name, new Jar(name, value, cookiePath, httpOnly));
      }
    }
    return res;
  }

  private Page follow(HttpResponse<String> res, URI url, String stopAt) throws Exception {
    for (int i = 0; i < 20; i++) {
      if (res.statusCode() < 300 || res.statusCode() >= 400) {
        return new Page(url, res.statusCode(), res.body());
      }
      url = url.resolve(res.headers().firstValue("Location").orElseThrow());
      if (url.toString().startsWith(stopAt)) {
        visited.add(url);
        return new Page(url, res.statusCode(), "");
      }
      res = send(HttpRequest.newBuilder(url).GET().build());
    }
    throw new AssertionError("too many redirects: " + visited);
  }

  /** The value of cookie {@code name}, if the browser has it. */
  Optional<String> cookie(String name) {
    return Optional.ofNullable(cookies.get(name)).map(Jar::value);
  }

  static String form(String... nameValues) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(enc(nameValues[i])).append('=').append(enc(nameValues[i + 1]));
    }
    return b.toString();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** The query parameter {@code name} of {@code url}. */
  static Optional<String> query(URI url, String name) {
    return io.ory4j.core.http.HttpRequest.parseQuery(url.getRawQuery()).getOrDefault(name, List.of()).stream()
        .findFirst();
  }
}
