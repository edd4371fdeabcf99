package io.ory4j.benchmarks.peers.sas;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.NoOpPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The peer server. Spring Boot's auto-configuration supplies the authorization server's filter chains and a generated
 * signing key; this class adds only what the benchmark needs: the client and its password encoder, the in-memory authorization service (the
 * default one, declared so it can be preloaded with {@code --peer.preload=N} access tokens), nothing else.
 */
@SpringBootApplication
public class SpringAuthorizationServerPeer {
  private static final Logger log = LoggerFactory.getLogger(SpringAuthorizationServerPeer.class);

  public static void main(String[] args) {
    SpringApplication.run(SpringAuthorizationServerPeer.class, args);
  }

  /**
   * Spring's default encoder (bcrypt at strength 10, checked on every client authentication; a {@code {noop}} secret
   * is upgraded to bcrypt on first use), or with {@code --peer.plaintext=true} no hashing at all: secrets held in
   * plain text, to show Spring's request cost without the hash.
   */
  @Bean
  PasswordEncoder passwordEncoder(Environment env) {
    return env.getProperty("peer.plaintext", Boolean.class, false)
        ? NoOpPasswordEncoder.getInstance()
        : PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  RegisteredClientRepository registeredClients(Environment env, PasswordEncoder encoder) {
    return new InMemoryRegisteredClientRepository(
        client("bench", encoder.encode(env.getProperty("peer.secret", "bench-secret"))));
  }

  private static RegisteredClient client(String id, String encodedSecret) {
    return RegisteredClient.withId(UUID.randomUUID().toString()).clientId(id).clientSecret(encodedSecret)
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).scope("read")
        .tokenSettings(TokenSettings.builder().accessTokenFormat(OAuth2TokenFormat.REFERENCE)
            .accessTokenTimeToLive(Duration.ofHours(1)).build())
        .build();
  }

  @Bean
  OAuth2AuthorizationService authorizationService(RegisteredClientRepository clients) {
    return new InMemoryOAuth2AuthorizationService();
  }

  @Bean
  ApplicationRunner preload(OAuth2AuthorizationService authorizations, RegisteredClientRepository clients,
      Environment env) {
    return args -> {
      int n = env.getProperty("peer.preload", Integer.class, 0);
      RegisteredClient client = clients.findByClientId("bench");
      Instant now = Instant.now();
      for (int i = 0; i < n; i++) {
        OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
            UUID.randomUUID().toString() + i, now, now.plus(Duration.ofHours(1)), Set.of("read"));
        authorizations.save(OAuth2Authorization.withRegisteredClient(client).principalName(client.getClientId())
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS).authorizedScopes(Set.of("read"))
            .accessToken(token).build());
      }
      log.info("preloaded {} access tokens", n);
    };
  }
}
