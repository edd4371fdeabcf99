package io.ory4j.identity.oauth2;

import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.http.OryErrorRenderer;
import io.ory4j.core.http.Router;
import io.ory4j.core.json.OryJson;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.oauth2.AcceptConsent;
import io.ory4j.oauth2.AcceptLogin;
import io.ory4j.oauth2.ConsentSettings;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.RejectRequest;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.Server;

/**
 * ory-oauth2 on its own embedded Jetty as the upstream OpenID Connect provider of social sign-in, reached as
 * {@code localhost} (so its cookies stay apart from the servers on 127.0.0.1); its login app accepts the test user
 * {@link #subject} and its consent app grants the requested scopes with {@link #email} in the ID token, or denies.
 */
final class UpstreamOp implements AutoCloseable {

  final AtomicReference<String> subject = new AtomicReference<>("upstream-user-1");
  final AtomicReference<String> email = new AtomicReference<>("sam@example.com");
  final AtomicBoolean denies = new AtomicBoolean();
  final URI issuer;
  final OAuth2Provider op;
  private final Server server = new Server();

  UpstreamOp(Clock clock, OryJson json) throws Exception {
    issuer = URI.create("http://localhost:" + TestJetty.bind(server));
    op = OAuth2Provider.builder().issuer(issuer.toString()).clock(clock)
        .systemSecrets(SystemSecrets.of("another-very-long-system-secret-0123456789"))
        .consentSettings(ConsentSettings.at(issuer.resolve("/app")).withSecureCookies(false)).inMemory().build();
    Router app = Router.builder(new OryErrorRenderer(json))
        .get("/app/login", r -> HttpResponse.redirect(303, op.acceptLogin(r.queryParam("login_challenge")
            .orElseThrow(), AcceptLogin.subject(subject.get())).redirectTo()))
        .get("/app/consent", r -> {
          String ch = r.queryParam("consent_challenge").orElseThrow();
          if (denies.get()) {
            return HttpResponse.redirect(303, op.rejectConsent(ch, RejectRequest.accessDenied("The user said no."))
                .redirectTo());
          }
          return HttpResponse.redirect(303, op.acceptConsent(ch, AcceptConsent.scopes(op.consentRequest(ch)
              .requestedScope()).withSession(Map.of(), Map.of("email", email.get(), "given_name", "Sam")))
              .redirectTo());
        })
        .build();
    TestJetty.serve(server, Router.builder(new OryErrorRenderer(json)).mount(op.publicApi()).mount(app).build());
  }

  /** Registers ory-identity at {@code identityBase} as a client whose callback is provider {@code id}'s. */
  CreatedClient client(URI identityBase, String id) {
    return op.createClient(OAuth2Client.builder().clientName("ory4j identity")
        .redirectUris(identityBase.toString().replaceAll("/+$", "") + "/self-service/methods/oidc/callback/" + id)
        .grantTypes("authorization_code").responseTypes("code").scope("openid email profile").build());
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
