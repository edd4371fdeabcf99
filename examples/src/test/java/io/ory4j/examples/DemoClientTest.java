package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party demo client against the example server: it registers itself, the user signs in with an
 * ory-identity account and consents on the example's pages, and the client writes a post with its token through
 * the access rules.
 */
class DemoClientTest {

  @TempDir
  Path data;

  private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final Map<String, String> jar = new LinkedHashMap<>();
  private final OryJson json = OryJson.create();

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    if (!jar.isEmpty()) {
      b.header("Cookie", String.join("; ", jar.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .toList()));
    }
    HttpResponse<String> r = browser.send(b.build(), BodyHandlers.ofString());
    for (String c : r.headers().allValues("Set-Cookie")) {
      String kv = c.split(";", 2)[0];
      int i = kv.indexOf('=');
      jar.put(kv.substring(0, i), kv.substring(i + 1));
    }
    return r;
  }

  /** Follows redirects like a browser, until a page answers. */
  private HttpResponse<String> open(URI url) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url));
    URI at = url;
    while (r.statusCode() / 100 == 3) {
      at = at.resolve(r.headers().firstValue("Location").orElseThrow());
      r = send(HttpRequest.newBuilder(at));
    }
    return r;
  }

  private HttpResponse<String> submit(URI url, String form) throws IOException, InterruptedException {
    HttpResponse<String> r = send(HttpRequest.newBuilder(url).header("Content-Type",
        "application/x-www-form-urlencoded").POST(BodyPublishers.ofString(form)));
    return r.statusCode() / 100 == 3 ? open(url.resolve(r.headers().firstValue("Location").orElseThrow())) : r;
  }

  private static String field(String html, String name) {
    Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
    assertTrue(m.find(), "no field " + name + " in " + html);
    return URLEncoder.encode(m.group(1).replace("&amp;", "&"), StandardCharsets.UTF_8);
  }

  private ExampleServer start() throws Exception {
    return ExampleServer.start(OryConfig.builder().environment(Map.of("DSN", "memory", "SERVE_PUBLIC_PORT", "0",
        "SERVE_ADMIN_PORT", "0", "DATA_DIR", data.toString(), "HASHERS_BCRYPT_COST", "4")).build());
  }

  @Test
  void runWhenUserSignsInAndAllowsThenClientWritesAPostAsTheUser() throws Exception {
    try (ExampleServer s = start()) {
      HttpResponse<String> identity = send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/identities"))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":"
              + "\"ada@example.com\"},\"credentials\":{\"password\":{\"config\":{\"password\":"
              + "\"correct horse staple\"}}}}")));
      assertEquals(201, identity.statusCode(), identity.body());
      String identityId = json.readTree(identity.body()).get("id").asText();

      DemoClient.Result result = new DemoClient(s.publicUrl(), s.adminUrl(), Duration.ofSeconds(30)).run(url -> {
        try {
          HttpResponse<String> login = open(url);
          assertTrue(login.body().contains("Demo third-party client"), login.body());
          HttpResponse<String> consent = submit(s.publicUrl().resolve("/ui/login"), "challenge="
              + field(login.body(), "challenge") + "&csrf_token=" + field(login.body(), "csrf_token")
              + "&email=ada%40example.com&password=correct+horse+staple");
          assertTrue(consent.body().contains("posts.write"), consent.body());
          HttpResponse<String> done = submit(s.publicUrl().resolve("/ui/consent"), "challenge="
              + field(consent.body(), "challenge") + "&csrf_token=" + field(consent.body(), "csrf_token")
              + "&decision=allow");
          assertTrue(done.body().contains("Signed in"), "the browser ends on the client's callback page");
        } catch (IOException | InterruptedException e) {
          throw new AssertionError(e);
        }
      });

      assertEquals(201, result.status(), result.post().toString());
      assertEquals(identityId, result.post().get("author").asText(), "the post is the user's, written by the client");
      assertTrue(result.scope().contains("posts.write"), result.scope());
    }
  }

  @Test
  void runWhenUserDeniesThenClientGetsAccessDeniedAndWritesNothing() throws Exception {
    try (ExampleServer s = start()) {
      send(HttpRequest.newBuilder(s.adminUrl().resolve("/admin/identities")).header("Content-Type",
          "application/json").POST(BodyPublishers.ofString("{\"traits\":{\"email\":\"bob@example.com\"},"
              + "\"credentials\":{\"password\":{\"config\":{\"password\":\"correct horse staple\"}}}}")));

      IOException refused = assertThrows(IOException.class, () -> new DemoClient(s.publicUrl(), s.adminUrl(),
          Duration.ofSeconds(30)).run(url -> {
            try {
              HttpResponse<String> login = open(url);
              HttpResponse<String> consent = submit(s.publicUrl().resolve("/ui/login"), "challenge="
                  + field(login.body(), "challenge") + "&csrf_token=" + field(login.body(), "csrf_token")
                  + "&email=bob%40example.com&password=correct+horse+staple");
              submit(s.publicUrl().resolve("/ui/consent"), "challenge=" + field(consent.body(), "challenge")
                  + "&csrf_token=" + field(consent.body(), "csrf_token") + "&decision=deny");
            } catch (IOException | InterruptedException e) {
              throw new AssertionError(e);
            }
          }));
      assertTrue(refused.getMessage().contains("access_denied"), refused.getMessage());
      assertEquals("[]", open(s.publicUrl().resolve("/api/posts")).body());
    }
  }
}
