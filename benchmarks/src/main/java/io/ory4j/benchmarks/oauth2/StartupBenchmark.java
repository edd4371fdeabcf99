package io.ory4j.benchmarks.oauth2;

import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.TokenResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Startup to first token, in a fresh JVM each fork (class loading included, JVM boot excluded): build an in-memory
 * provider, register a client (one PBKDF2 hash) and issue its first client_credentials token.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(5)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
public class StartupBenchmark {

  @Benchmark
  public TokenResponse firstToken() {
    OAuth2Provider provider = OAuth2Provider.builder().issuer(Fixtures.ISSUER)
        .systemSecrets(SystemSecrets.of("a-very-long-system-secret-0123456789")).inMemory().build();
    CreatedClient c = provider.createClient(OAuth2Client.builder().grantTypes("client_credentials").scope("read")
        .build());
    return provider.clientCredentials(c.client().id(), c.secret(), List.of("read"), List.of());
  }
}
