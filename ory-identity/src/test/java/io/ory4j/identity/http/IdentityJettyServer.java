package io.ory4j.identity.http;

import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentityService;
import io.ory4j.servlet.OryServlet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Kratos' public and admin APIs on two ports of one embedded Jetty, with a real client, for the HTTP tests. */
final class IdentityJettyServer implements AutoCloseable {

  private final HttpClient client = HttpClient.newHttpClient();
  private final Server server = new Server();
  final URI pub;
  final URI admin;

  IdentityJettyServer(IdentityService service, OryJson json, Clock clock) throws Exception {
    this(service, json, clock, null);
  }

  /** With the browser flavor too, when {@code browser} is set. */
  IdentityJettyServer(IdentityService service, OryJson json, Clock clock,
      io.ory4j.identity.@org.jspecify.annotations.Nullable BrowserSettings browser) throws Exception {
    ServerConnector p = connector("public");
    ServerConnector a = connector("admin");
    p.open();
    a.open();
    IdentityApi api = new IdentityApi(service, json, clock, "http://127.0.0.1:" + p.getLocalPort(), browser);
    server.setHandler(new org.eclipse.jetty.server.Handler.Sequence(context("@public", api.publicApi()),
        context("@admin", api.adminApi())));
    server.start();
    pub = URI.create("http://127.0.0.1:" + p.getLocalPort());
    admin = URI.create("http://127.0.0.1:" + a.getLocalPort());
  }

  private ServerConnector connector(String name) {
    ServerConnector c = new ServerConnector(server);
    c.setName(name);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    return c;
  }

  private static ServletContextHandler context(String vhost, Router router) {
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setVirtualHosts(List.of(vhost));
    ctx.addServlet(new ServletHolder(new OryServlet(router)), "/*");
    return ctx;
  }

  /** Sends a JSON request; {@code headers} are name, value pairs. */
  HttpResponse<String> send(String method, URI base, String target, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(target)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    return client.send(b.build(), BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
