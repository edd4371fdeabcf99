package io.ory4j.benchmarks.oauth2;

import io.ory4j.core.http.HttpRequest;
import io.ory4j.core.http.HttpResponse;
import io.ory4j.oauth2.CreatedClient;
import io.ory4j.oauth2.OAuth2Client;
import io.ory4j.oauth2.OAuth2Provider;
import io.ory4j.oauth2.TokenResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
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
 * client_credentials issuance with the secret hashed at rest (PBKDF2, verification cached): through the plain-Java
 * API and through the {@code /oauth2/token} handler (form parsing, client authentication, JSON), without a network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ClientCredentialsBenchmark {

  @Param({"memory", "h2"})
  public String store;

  /** The access token strategy: opaque, or a JWT signed with RS256 (RSA-4096, as Hydra), ES256 or EdDSA. */
  @Param({"opaque", "RS256", "ES256", "EdDSA"})
  public String strategy;

  private OAuth2Provider provider;
  private CreatedClient client;
  private HttpRequest request;

  @Setup
  public void setup() {
    provider = Fixtures.provider(store, strategy);
    client = provider.createClient(OAuth2Client.builder().grantTypes("client_credentials").scope("read write")
        .build());
    String basic = Base64.getEncoder().encodeToString((client.client().id().value() + ":" + client.secret())
        .getBytes(StandardCharsets.UTF_8));
    request = HttpRequest.builder().method("POST").scheme("https").host("auth.example.com").path("/oauth2/token")
        .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
        .body("grant_type=client_credentials&scope=read").build();
  }

  @Benchmark
  public TokenResponse plainJava() {
    return provider.clientCredentials(client.client().id(), client.secret(), List.of("read"), List.of());
  }

  @Benchmark
  public HttpResponse tokenEndpoint() {
    return provider.publicApi().handle(request);
  }
}
