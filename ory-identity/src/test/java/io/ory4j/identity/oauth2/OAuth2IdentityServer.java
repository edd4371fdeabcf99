package io.ory4j.identity.oauth2;

import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.identity.BrowserSettings;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.IdentityServiceTest;
import io.ory4j.identity.MutableClock;
import io.ory4j.identity.SelfServiceHooks;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.http.IdentityApi;
import io.ory4j.oauth2.OAuth2Provider;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.server.Server;

/**
 * ory-oauth2 and ory-identity in one process on one embedded Jetty port, as a host wires them: the OAuth 2.0 public
 * API, Kratos' public API (browser flows) and the {@link LoginConsentProvider} at {@code /ui}.
 */
final class OAuth2IdentityServer implements AutoCloseable {

  static final OryJson JSON = OryJson.create();

  final MutableClock clock;
  final Server server = new Server();
  final URI base;
  final IdentityService identities;
  final IdentityApi identityApi;
  final OAuth2Provider provider;
  final LoginConsentProvider loginConsent;

  OAuth2IdentityServer(UnaryOperator<LoginConsentProvider.Builder> customize) throws Exception {
    this(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), customize, (base, b) -> b);
  }

  /** With the identity service's builder changed knowing the server's base URL (social sign-in's callback). */
  OAuth2IdentityServer(MutableClock clock, UnaryOperator<LoginConsentProvider.Builder> customize,
      java.util.function.BiFunction<URI, IdentityService.Builder, IdentityService.Builder> identity) throws Exception {
    this.clock = clock;
    base = URI.create("http://127.0.0.1:" + TestJetty.bind(server));
    identities = identity.apply(base, IdentityService.builder().hooks(SelfServiceHooks.sessionAfterRegistration())
        .schemas(IdentityServiceTest.schemas()).clock(clock).hasher(new BcryptHasher(4, new SecureRandom())))
        .build();
    BrowserSettings browser = new BrowserSettings(base.resolve("/login"), base.resolve("/registration"),
        base.resolve("/"), List.of(), false).withSettingsUi(base.resolve("/settings"));
    identityApi = new IdentityApi(identities, JSON, clock, base.toString(), browser);
    URI ui = base.resolve("/ui");
    provider = OAuth2Provider.builder().issuer(base.toString()).clock(clock)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789"))
        .consentSettings(LoginConsentProvider.consentSettings(ui, false)).inMemory().build();
    loginConsent = customize.apply(LoginConsentProvider.builder().provider(provider).identities(identities)
        .json(JSON).clock(clock).uiUrl(ui).selfServiceUrl(base).secureCookies(false)).build();
    Router all = Router.builder(new OryErrorRenderer(JSON)).mount(identityApi.publicApi())
        .mount(provider.publicApi()).mount(loginConsent.router()).build();
    TestJetty.serve(server, all);
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
