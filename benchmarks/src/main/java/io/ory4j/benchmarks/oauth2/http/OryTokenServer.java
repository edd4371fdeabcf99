package io.ory4j.benchmarks.oauth2.http;

import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.store.memory.InMemoryTokenStore;
import io.ory4j.servlet.OryServlet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ory4j side of {@link HttpPeerBenchmark}: an in-memory provider on Jetty, serving Hydra's public and admin paths
 * on one port, with one confidential client {@code bench} whose secret is hashed at rest (PBKDF2, the default), and
 * {@code preload} opaque access tokens of other requests in the token store. Arguments: port, preload, secret.
 */
public final class OryTokenServer {
  private static final Logger log = LoggerFactory.getLogger(OryTokenServer.class);

  private OryTokenServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int preload = Integer.parseInt(args[1]);
    String secret = args[2];
    InMemoryTokenStore tokens = new InMemoryTokenStore();
    OAuth2Provider provider = OAuth2Provider.builder().issuer("http://127.0.0.1:" + port)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789")).inMemory().tokenStore(tokens)
        .build();
    ClientId id = provider.createClient(OAuth2Client.builder().clientId("bench").grantTypes("client_credentials")
        .scope("read").build(), secret).client().id();
    Random random = new Random(42);
    Instant now = Instant.now();
    for (int i = 0; i < preload; i++) {
      tokens.create(new TokenSession(Long.toHexString(random.nextLong()) + i, TokenKind.ACCESS_TOKEN, "req-" + i, id,
          null, List.of("read"), List.of(), now, now.plusSeconds(3600), true, Map.of()));
    }
    Router router = Router.builder(new OryErrorRenderer(OryJson.create()))
        .mount(provider.publicApi()).mount(provider.adminApi()).build();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler ctx = new ServletContextHandler();
    ctx.setContextPath("/");
    ctx.addServlet(new ServletHolder(new OryServlet(router)), "/*");
    server.setHandler(ctx);
    server.start();
    log.info("ory4j token server on port {} with {} preloaded tokens", port, preload);
    server.join();
  }
}
