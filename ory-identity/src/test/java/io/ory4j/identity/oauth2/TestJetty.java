package io.ory4j.identity.oauth2;

import io.ory4j.core.http.Router;
import io.ory4j.servlet.OryServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Embedded Jetty for these tests: a connector on 127.0.0.1 bound before start (its port known), one servlet. */
final class TestJetty {

  private TestJetty() {}

  /** Binds a connector on a free port of 127.0.0.1 and answers the port. */
  static int bind(Server server) throws Exception {
    ServerConnector c = new ServerConnector(server);
    c.setHost("127.0.0.1");
    c.setPort(0);
    server.addConnector(c);
    c.open();
    return c.getLocalPort();
  }

  /** Serves {@code router} on every path and starts the server. */
  static void serve(Server server, Router router) throws Exception {
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.addServlet(new ServletHolder(new OryServlet(router)), "/*");
    server.setHandler(ctx);
    server.start();
  }
}
