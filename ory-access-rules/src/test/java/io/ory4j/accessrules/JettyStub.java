package io.ory4j.accessrules;

import io.ory4j.core.http.HttpHandler;
import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.servlet.OryServlet;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty on a free port: a stub remote (routes by path, every call recorded) or a host app. */
final class JettyStub implements AutoCloseable {
  final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
  final List<HttpRequest> calls = new CopyOnWriteArrayList<>();
  private final Server server;

  /** A stub remote answering from {@link #routes}. */
  JettyStub() {
    this(null, null);
  }

  /** A host: {@code servlet} at /*, behind {@code filter} when given. */
  JettyStub(HttpServlet servlet, Filter filter) {
    server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler();
    HttpServlet s = servlet != null ? servlet : new OryServlet(req -> {
      calls.add(req);
      HttpHandler h = routes.get(req.path());
      return h == null ? HttpResponse.json(404, "{\"error\":\"no stub\"}".getBytes()) : h.handle(req);
    });
    ctx.addServlet(new ServletHolder(s), "/*");
    if (filter != null) {
      ctx.addFilter(new FilterHolder(filter), "/*", EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    }
    server.setHandler(ctx);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON response for a stub route. */
  static HttpResponse json(int status, String body) {
    return HttpResponse.json(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * A stub remote for a test class: started before all tests, its routes and recorded calls cleared before each,
   * stopped after all. {@code @RegisterExtension static final JettyStub.PerClass remote = new JettyStub.PerClass();}
   */
  static final class PerClass implements org.junit.jupiter.api.extension.BeforeAllCallback,
      org.junit.jupiter.api.extension.AfterAllCallback, org.junit.jupiter.api.extension.BeforeEachCallback {
    private JettyStub stub;

    JettyStub stub() {
      return stub;
    }

    @Override
    public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context) {
      stub = new JettyStub();
    }

    @Override
    public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
      stub.routes.clear();
      stub.calls.clear();
    }

    @Override
    public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context) {
      stub.close();
    }
  }

  /** A port nothing listens on. */
  static int closedPort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
