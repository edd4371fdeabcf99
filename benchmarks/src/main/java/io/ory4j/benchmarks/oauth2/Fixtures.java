package io.ory4j.benchmarks.oauth2;

import io.ory4j.core.jdbc.Jdbc;
import io.ory4j.core.jdbc.SimpleDataSource;
import io.ory4j.core.jdbc.migrate.Migrator;
import io.ory4j.core.keys.KeyAlgorithm;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.jdbc.JdbcJwkSetStore;
import io.ory4j.oauth2.ConsentSettings;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.TokenSettings;
import io.ory4j.oauth2.store.jdbc.JdbcClientStore;
import io.ory4j.oauth2.store.jdbc.JdbcFlowStore;
import io.ory4j.oauth2.store.jdbc.JdbcTokenStore;
import java.net.URI;
import java.util.Properties;
import java.util.UUID;

/** Builds providers for the benchmarks. */
final class Fixtures {
  private Fixtures() {}

  static final String ISSUER = "https://auth.example.com";

  /** A provider on {@code store} ("memory" or "h2") with {@code strategy} ("opaque" or a JWS algorithm). */
  static OAuth2Provider provider(String store, String strategy) {
    TokenSettings ts = TokenSettings.defaults();
    if (!"opaque".equals(strategy)) {
      ts = ts.withJwtAccessTokens(true).withSigningAlgorithm(KeyAlgorithm.parse(strategy));
    }
    OAuth2Provider.Builder b = OAuth2Provider.builder().issuer(ISSUER)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789")).tokenSettings(ts)
        .consentSettings(ConsentSettings.at(URI.create("https://login.example")));
    if ("h2".equals(store)) {
      SimpleDataSource ds = new SimpleDataSource("jdbc:h2:mem:bench" + UUID.randomUUID().toString().replace("-", "")
          + ";DB_CLOSE_DELAY=-1", new Properties());
      new Migrator(ds).migrate("core", "oauth2");
      Jdbc jdbc = new Jdbc(ds);
      b.clientStore(new JdbcClientStore(jdbc)).flowStore(new JdbcFlowStore(jdbc)).tokenStore(new JdbcTokenStore(jdbc))
          .jwkSetStore(new JdbcJwkSetStore(jdbc));
    } else {
      b.inMemory();
    }
    return b.build();
  }
}
