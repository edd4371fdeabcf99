package io.ory4j.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpInterceptor;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The servlet bridge on embedded Jetty 12, with a real HTTP client. */
class OryServletJettyTest {

  private static final OryJson JSON = OryJson.create();
  private static Server server;
  private static URI base;
  private static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    Router api = Router.builder(new OryErrorRenderer(JSON))
        .post("/echo/{name}", r -> HttpResponse.builder(201)
            .header("Content-Type", "application/json")
            .header("X-Query", r.queryParam("q").orElse("-"))
            .body(JSON.writeBytes(Map.of("name", r.pathParam("name").orElseThrow(), "body", r.bodyText(),
                "form", r.formParam("a").orElse("-"), "cookie", r.cookie("c").orElse("-"),
                "host", r.host(), "remote", r.remoteAddress())))
            .build())
        .get("/stream", r -> HttpResponse.builder(200).stream(out -> out.write("streamed".getBytes())).build())
        .get("/fail", r -> {
          throw OryException.forbidden("not you");
        })
        .build();
    HttpInterceptor guard = request -> request.header("X-Deny").isPresent()
        ? new HttpInterceptor.Respond(HttpResponse.builder(403).body("denied").build())
        : new HttpInterceptor.Proceed(Map.of("X-User", List.of("alice")), List.of("Authorization"));

    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder(new OryServlet(api, 64)), "/api/*");
    ctx.addServlet(new ServletHolder(OryServlet.streaming(r -> {
      int buffered = r.bodyLength();
      byte[] read;
      try (java.io.InputStream in = r.bodyStream()) {
        read = in.readAllBytes();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return HttpResponse.builder(200).body("buffered=" + buffered + ";streamed=" + read.length + ";path="
          + r.path()).build();
    })), "/streamed/*");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().print("user=" + req.getHeader("X-User") + ";auth=" + req.getHeader("Authorization")
            + ";names=" + java.util.Collections.list(req.getHeaderNames()).stream()
                .anyMatch("Authorization"::equalsIgnoreCase));
      }
    }), "/app/*");
    ctx.addFilter(new FilterHolder(new OryFilter(guard)), "/app/*", EnumSet.of(DispatcherType.REQUEST));
    // an interceptor that reads all, part or none of the body (X-Peek), and an endpoint reporting what it got
    HttpInterceptor peek = request -> {
      String how = request.header("X-Peek").orElse("none");
      try (java.io.InputStream in = how.equals("none") ? java.io.InputStream.nullInputStream() : request.bodyStream()) {
        byte[] seen = how.equals("part") ? in.readNBytes(4) : in.readAllBytes();
        return new HttpInterceptor.Proceed(Map.of("X-Seen", List.of(String.valueOf(seen.length))), List.of());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String got;
        if (req.getContentType() != null && req.getContentType().startsWith("application/x-www-form-urlencoded")) {
          got = "a=" + req.getParameter("a") + ",b=" + String.join("|", req.getParameterValues("b")) + ",q="
              + req.getParameter("q") + ",names=" + java.util.Collections.list(req.getParameterNames());
        } else if (req.getHeader("X-Reader") != null) {
          got = req.getReader().lines().collect(java.util.stream.Collectors.joining("\n"));
        } else {
          got = new String(req.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        resp.setContentType("text/plain; charset=utf-8");
        resp.getWriter().print("seen=" + req.getHeader("X-Seen") + ";got=" + got);
      }
    }), "/peek/*");
    ctx.addFilter(new FilterHolder(new OryFilter(peek)), "/peek/*", EnumSet.of(DispatcherType.REQUEST));
    server.setHandler(ctx);
    server.start();
    base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void serviceWhenRoutedPostThenHandlerSeesPathQueryBodyFormAndCookies() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/api/echo/bob?q=1"))
        .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "c=v")
        .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), BodyHandlers.ofString());
    assertEquals(201, res.statusCode());
    assertEquals("1", res.headers().firstValue("X-Query").orElseThrow());
    var body = JSON.readTree(res.body());
    assertEquals("bob", body.get("name").asText());
    assertEquals("a=b", body.get("body").asText());
    assertEquals("b", body.get("form").asText());
    assertEquals("v", body.get("cookie").asText());
    assertEquals("127.0.0.1", body.get("remote").asText());
    assertTrue(body.get("host").asText().startsWith("127.0.0.1:"));
  }

  @Test
  void serviceWhenStreamingBodyThenWritten() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/api/stream")).build(), BodyHandlers.ofString());
    assertEquals("streamed", res.body());
  }

  @Test
  void serviceWhenHandlerThrowsThenOryErrorJson() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/api/fail")).build(), BodyHandlers.ofString());
    assertEquals(403, res.statusCode());
    assertEquals("not you", JSON.readTree(res.body()).get("error").get("message").asText());
  }

  @Test
  void streamingWhenBodyOverTheBufferLimitThenHandlerReadsItFromTheStream() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/streamed/up"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3 << 20])).build(), BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    assertEquals("buffered=0;streamed=" + (3 << 20) + ";path=/up", res.body());
  }

  @Test
  void serviceWhenBodyTooLargeThen413() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/api/echo/x"))
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100))).build(), BodyHandlers.ofString());
    assertEquals(413, res.statusCode());
    assertEquals(413, JSON.readTree(res.body()).get("error").get("code").asInt());
  }

  @Test
  void filterWhenProceedThenHeadersSetAndRemoved() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/app/x")).header("Authorization", "Bearer t")
        .header("X-User", "mallory").build(), BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    assertEquals("user=alice;auth=null;names=false", res.body());
  }

  @Test
  void filterWhenRespondThenEndpointNotReached() throws Exception {
    var res = client.send(HttpRequest.newBuilder(base.resolve("/app/x")).header("X-Deny", "1").build(),
        BodyHandlers.ofString());
    assertEquals(403, res.statusCode());
    assertEquals("denied", res.body());
    assertFalse(res.body().contains("user="));
  }

  String peek(String how, String type, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/peek/x?q=1")).header("X-Peek", how)
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    var res = client.send(b.build(), BodyHandlers.ofString());
    assertEquals(200, res.statusCode(), res.body());
    return res.body();
  }

  @Test
  void filterWhenInterceptorReadsTheBodyThenTheEndpointGetsTheSameBytes() throws Exception {
    String text = "first line\nsecond line with \u00e9";
    assertEquals("seen=0;got=" + text, peek("none", "text/plain; charset=utf-8", text));
    assertEquals("seen=" + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ";got=" + text,
        peek("all", "text/plain; charset=utf-8", text));
    assertEquals("seen=4;got=" + text, peek("part", "text/plain; charset=utf-8", text), "the read part, then the rest");
    assertEquals("seen=" + text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + ";got=" + text,
        peek("all", "text/plain; charset=utf-8", text, "X-Reader", "1"), "through getReader()");
  }

  @Test
  void filterWhenInterceptorReadsAFormThenTheEndpointStillGetsItsParameters() throws Exception {
    assertEquals("seen=17;got=a=x y,b=1|2,q=1,names=[q, a, b, c]",
        peek("all", "application/x-www-form-urlencoded", "a=x+y&b=1&b=2&c=d"));
    assertEquals("seen=0;got=a=x y,b=1|2,q=1,names=[q, a, b, c]",
        peek("none", "application/x-www-form-urlencoded", "a=x+y&b=1&b=2&c=d"), "the container's own parsing");
  }
}
