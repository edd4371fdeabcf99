package io.ory4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.config.OryConfig;
import io.ory4j.core.json.OryJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

  private final TestBrowser browser = new TestBrowser();
  private final OryJson json = OryJson.create();

  private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
    return browser.send(b);
  }

  private HttpResponse<String> open(URI url) throws IOException, InterruptedException {
    return browser.open(url);
  }

  private HttpResponse<String> submit(URI url, String form) throws IOException, InterruptedException {
    return browser.submit(url, form);
  }

  private static String field(String html, String name) {
    return TestBrowser.enc(TestBrowser.field(html, name));
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
          assertTrue(login.body().contains("Sign in"), login.body());
          HttpResponse<String> consent = browser.signIn(login, "ada@example.com", "correct horse staple");
          assertTrue(consent.body().contains("posts.write"), consent.body());
          assertTrue(consent.body().contains("Demo third-party client"), consent.body());
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
              HttpResponse<String> consent = browser.signIn(open(url), "bob@example.com", "correct horse staple");
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
