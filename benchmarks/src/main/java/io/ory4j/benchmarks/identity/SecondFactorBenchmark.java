package io.ory4j.benchmarks.identity;

import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentitySchemas;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.internal.Totp;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a second factor adds to a request: checking a TOTP code (a wrong one costs the most: three HMAC-SHA1 over
 * the skew window), and whoami with Kratos' {@code highest_available} (which also reads the identity's credentials)
 * against the plain aal1 whoami, on the in-memory stores.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SecondFactorBenchmark {

  private byte[] key;
  private long step;
  private String rightCode;
  private String wrongCode;
  private IdentityService service;
  private String token;

  @Setup
  public void setup() {
    key = new byte[20];
    new SecureRandom().nextBytes(key);
    step = Totp.step(Instant.now().getEpochSecond());
    rightCode = Totp.code(key, step);
    wrongCode = rightCode.equals("000000") ? "111111" : "000000";
    OryJson json = OryJson.create();
    service = IdentityService.builder().schemas(IdentitySchemas.of("default", Map.of("default", json.readTree(
        "{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{\"email\":"
            + "{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"password\":{\"identifier\":true}}}}}}}}"))))
        .hasher(new BcryptHasher(4, new SecureRandom()))
        .hooks(io.ory4j.identity.SelfServiceHooks.sessionAfterRegistration()).build();
    IdentityService.Login login = service.registerWithPassword(null, json.readTree("{\"email\":\"b@example.com\"}"),
        "correct horse staple");
    UUID id = login.identity().id();
    service.loginSecondFactor(login.sessionToken(), "lookup_secret", service.regenerateLookupSecrets(id).get(0));
    token = login.sessionToken();
  }

  @Benchmark
  public String totpCode() {
    return Totp.code(key, step);
  }

  @Benchmark
  public long totpVerifyRight() {
    return Totp.matchingStep(key, rightCode, step);
  }

  @Benchmark
  public long totpVerifyWrong() {
    return Totp.matchingStep(key, wrongCode, step);
  }

  @Benchmark
  public Object whoamiAal1() {
    return service.whoami(token);
  }

  @Benchmark
  public Object whoamiHighestAvailable() {
    return service.whoami(token, IdentityService.HIGHEST_AVAILABLE);
  }
}
