package io.ory4j.benchmarks.identity;

import io.ory4j.identity.hash.PasswordHashes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of checking a password against an imported crypt(3) hash: MD5-crypt (1000 fixed rounds), SHA-256-crypt
 * at Kratos' test vector's 535,000 rounds, and SHA-512-crypt at the 5000 default; the rounds bound (1,000,000) caps
 * the worst case at about twice the 535,000 figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class CryptHashBenchmark {

  private static final byte[] TEST = "test".getBytes(StandardCharsets.UTF_8);
  private static final byte[] HELLO = "Hello world!".getBytes(StandardCharsets.UTF_8);

  @Benchmark
  public boolean md5Crypt() {
    return PasswordHashes.matches(TEST, "$md5-crypt$TVEiiKNb$SN6/pUaRQS/E8Jh46As2C/");
  }

  @Benchmark
  public boolean sha256Crypt535000Rounds() {
    return PasswordHashes.matches(TEST,
        "$sha256-crypt$rounds=535000$05R.9KB6UC2kLI3w$Q/zslzx./JjkAVPTwp6th7nW5l7JU91Gte/UmIh.U78");
  }

  @Benchmark
  public boolean sha512Crypt5000Rounds() {
    return PasswordHashes.matches(HELLO, "$sha512-crypt$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIF"
        + "NjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
  }
}
