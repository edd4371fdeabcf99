package io.ory4j.benchmarks.oauth2;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.oauth2.ClientId;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.Introspection;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.spi.TokenKind;
import io.ory4j.oauth2.spi.TokenSession;
import io.ory4j.oauth2.store.memory.InMemoryTokenStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Introspection of an opaque access token with {@code stored} other token sessions in the in-memory store: the lookup
 * is one HMAC and one hash-map read, so it should not depend on the store's size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class IntrospectionBenchmark {

  @Param({"1000", "1000000"})
  public int stored;

  private OAuth2Provider provider;
  private String token;
  private HttpRequest request;

  @Setup
  public void setup() {
    InMemoryTokenStore tokens = new InMemoryTokenStore();
    provider = OAuth2Provider.builder().issuer(Fixtures.ISSUER)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789")).inMemory().tokenStore(tokens)
        .build();
    CreatedClient c = provider.createClient(OAuth2Client.builder().grantTypes("client_credentials").scope("read")
        .build());
    Random r = new Random(42);
    Instant now = Instant.now();
    ClientId id = c.client().id();
    for (int i = 0; i < stored; i++) {
      tokens.create(new TokenSession(Long.toHexString(r.nextLong()) + i, TokenKind.ACCESS_TOKEN, "req-" + i, id, null,
          List.of("read"), List.of(), now, now.plusSeconds(3600), true, Map.of()));
    }
    token = provider.clientCredentials(id, c.secret(), List.of("read"), List.of()).accessToken();
    request = HttpRequest.builder().method("POST").path("/admin/oauth2/introspect")
        .header("Content-Type", "application/x-www-form-urlencoded").body("token=" + token).build();
  }

  @Benchmark
  public Introspection plainJava() {
    return provider.introspect(token);
  }

  @Benchmark
  public HttpResponse introspectEndpoint() {
    return provider.adminApi().handle(request);
  }
}
