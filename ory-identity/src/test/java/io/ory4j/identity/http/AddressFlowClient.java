package io.ory4j.identity.http;

import static io.ory4j.identity.http.FlowClient.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMailUtil;
import io.ory4j.identity.http.FlowClient.Flavor;
import jakarta.mail.internet.MimeMessage;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Drives a verification or recovery flow over HTTP in either flavor, as a Kratos UI does: the browser flavor keeps the
 * CSRF cookie and sends forms; the API flavor sends JSON. Also reads codes and links out of received mail.
 */
final class AddressFlowClient {

  private final IdentityJettyServer server;
  private final String kind;
  private final String ui;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private @Nullable String cookies;

  /**
   * @param kind {@code verification} or {@code recovery}
   * @param ui the UI URL browsers are sent to
   */
  AddressFlowClient(IdentityJettyServer server, String kind, String ui) {
    this.server = server;
    this.kind = kind;
    this.ui = ui;
  }

  /** The cookies the browser holds (CSRF, and after a recovery the session). */
  @Nullable String cookies() {
    return cookies;
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    if (cookies != null) {
      b.header("Cookie", cookies);
    }
    return client.send(b.build(), BodyHandlers.ofString());
  }

  /** Starts a flow; the browser flavor keeps the CSRF cookie. Returns the flow JSON. */
  JsonNode start(Flavor f) throws Exception {
    if (f == Flavor.API) {
      return JSON.readTree(send(HttpRequest.newBuilder(server.pub.resolve("/self-service/" + kind + "/api"))).body());
    }
    HttpResponse<String> init = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/" + kind + "/browser")));
    assertEquals(303, init.statusCode(), init.body());
    String location = init.headers().firstValue("Location").orElseThrow();
    assertTrue(location.startsWith(ui + "?flow="), location);
    cookies = init.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("csrf_token="))
        .map(c -> c.substring(0, c.indexOf(';'))).findFirst().orElseThrow();
    return fetch(location.substring(location.indexOf("flow=") + 5));
  }

  JsonNode fetch(String flowId) throws Exception {
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve("/self-service/" + kind + "/flows?id="
        + flowId)));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static String csrf(JsonNode flow) {
    return flow.get("ui").get("nodes").get(0).get("attributes").get("value").asText();
  }

  /**
   * Submits form fields; answers the flow afterwards with the HTTP status (a browser's redirect is 303, the flow
   * fetched again) and, after a recovery, the session token or cookie value.
   */
  FlowClient.Outcome submit(Flavor f, JsonNode flow, String fields) throws Exception {
    String target = "/self-service/" + kind + "?flow=" + flow.get("id").asText();
    if (f == Flavor.API) {
      HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve(target))
          .header("Content-Type", "application/json").POST(BodyPublishers.ofString(json(fields))));
      JsonNode body = JSON.readTree(r.body());
      return new FlowClient.Outcome(r.statusCode(), body, body.path("continue_with").path(0)
          .path("ory_session_token").asText(null));
    }
    HttpResponse<String> r = send(HttpRequest.newBuilder(server.pub.resolve(target))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(BodyPublishers.ofString("csrf_token=" + enc(csrf(flow)) + "&" + fields)));
    assertEquals(303, r.statusCode(), r.body());
    String session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("ory_kratos_session="))
        .map(c -> c.substring("ory_kratos_session=".length(), c.indexOf(';'))).findFirst().orElse(null);
    String location = r.headers().firstValue("Location").orElseThrow();
    if (session == null) {
      assertEquals(ui + "?flow=" + flow.get("id").asText(), location);
    }
    com.fasterxml.jackson.databind.node.ObjectNode after = fetch(flow.get("id").asText()).deepCopy();
    return new FlowClient.Outcome(303, after.put("location", location), session);
  }

  private static String json(String form) {
    var o = JSON.object();
    for (String kv : form.split("&")) {
      String[] p = kv.split("=", 2);
      o.put(p[0], java.net.URLDecoder.decode(p[1], StandardCharsets.UTF_8));
    }
    return JSON.write(o);
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static int firstMessageId(JsonNode flow) {
    return flow.get("ui").get("messages").get(0).get("id").asInt();
  }

  static String plaintextOf(MimeMessage m) throws Exception {
    var multipart = (jakarta.mail.internet.MimeMultipart) m.getContent();
    return GreenMailUtil.getBody(multipart.getBodyPart(0));
  }

  static String find(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no " + regex + " in " + text);
    return m.group(1);
  }
}
