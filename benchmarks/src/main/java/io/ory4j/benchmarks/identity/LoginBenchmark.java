package io.ory4j.benchmarks.identity;

import io.ory4j.core.json.OryJson;
import io.ory4j.identity.IdentitySchemas;
import io.ory4j.identity.IdentityService;
import io.ory4j.identity.hash.BcryptHasher;
import io.ory4j.identity.hash.PasswordHasher;
import io.ory4j.identity.hash.PasswordHashes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A password login through {@link IdentityService} against the bare hash check it contains, with Kratos' default
 * costs (bcrypt 12, argon2id 128 MiB): the difference is what ory4j adds around the hash. At those costs the
 * difference drowns in the hash's own spread, so {@code bcrypt4} (bcrypt at its minimum cost, about a millisecond)
 * measures the same path around a cheap hash, where it can be resolved; the path does not depend on the hash's cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class LoginBenchmark {

  @Param({"bcrypt", "argon2id", "bcrypt4"})
  public String hasher;

  private IdentityService service;
  private String storedHash;
  private final byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);

  @Setup
  public void setUp() {
    OryJson json = OryJson.create();
    PasswordHasher h = switch (hasher) {
      case "bcrypt" -> new BcryptHasher(12, new SecureRandom());
      case "bcrypt4" -> new BcryptHasher(4, new SecureRandom());
      default -> PasswordHasher.argon2id();
    };
    IdentitySchemas schemas = IdentitySchemas.of("default", Map.of("default", json.readTree(
        "{\"type\":\"object\",\"properties\":{\"traits\":{\"type\":\"object\",\"properties\":{\"email\":"
            + "{\"type\":\"string\",\"ory.sh/kratos\":{\"credentials\":{\"password\":{\"identifier\":true}}}}}}}}")));
    service = IdentityService.builder().schemas(schemas).hasher(h).build();
    service.registerWithPassword(null, json.readTree("{\"email\":\"ada@example.com\"}"),
        "correct horse battery staple");
    storedHash = h.hash(password);
  }

  @Benchmark
  public String login() {
    return service.loginWithPassword("ada@example.com", "correct horse battery staple").sessionToken();
  }

  @Benchmark
  public boolean hashOnly() {
    return PasswordHashes.matches(password, storedHash);
  }
}
