package io.ory4j.benchmarks.core;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.jwk.JWK;
import io.ory4j.core.id.IdGenerator;
import io.ory4j.core.keys.JwkSetManager;
import io.ory4j.core.keys.JwsKeys;
import io.ory4j.core.keys.KeyAlgorithm;
import io.ory4j.core.secrets.SecretCipher;
import io.ory4j.core.secrets.SystemSecrets;
import io.ory4j.core.store.memory.InMemoryJwkSetStore;
import java.time.Clock;
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
 * The cost of one JWS signature and verification with keys from {@link JwkSetManager}: the floor under every JWT
 * access token and ID token. Other modules' token benchmarks are read against it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SigningBenchmark {

  @Param({"RS256", "ES256", "EdDSA"})
  public String algorithm;

  private JWSSigner signer;
  private JWSVerifier verifier;
  private JWSHeader header;
  private String signed;
  private final Payload payload = new Payload("{\"sub\":\"alice\",\"iss\":\"https://issuer\",\"exp\":1999999999}");

  @Setup
  public void setUp() throws JOSEException {
    JwkSetManager keys = new JwkSetManager(new InMemoryJwkSetStore(),
        new SecretCipher(SystemSecrets.of("benchmark-secret-0123456789")), Clock.systemUTC(), IdGenerator.randomV4());
    JWK key = keys.createKey("bench", KeyAlgorithm.parse(algorithm), "sig", "k");
    signer = JwsKeys.signer(key);
    verifier = JwsKeys.verifier(key.toPublicJWK());
    header = new JWSHeader.Builder(JwsKeys.algorithm(key)).keyID("k").build();
    signed = sign();
  }

  @Benchmark
  public String sign() throws JOSEException {
    JWSObject jws = new JWSObject(header, payload);
    jws.sign(signer);
    return jws.serialize();
  }

  @Benchmark
  public boolean verify() throws Exception {
    return JWSObject.parse(signed).verify(verifier);
  }
}
