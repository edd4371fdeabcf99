package io.ory4j.benchmarks.policy;

import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Effect;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of a write seen at once: upsert one regex policy through the engine, then a check (which rebuilds the
 * flavor's index from the in-memory store). Shows what a write costs as the flavor grows.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AcpWriteBenchmark {

  @Param({"1000", "100000"})
  int policies;

  private PolicyEngine engine;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryPolicyStore store = new InMemoryPolicyStore();
    for (int i = 0; i < policies; i++) {
      store.upsert(Flavor.REGEX, new Policy("p" + i, "", List.of("users:u" + i),
          List.of("resources:articles:" + i + ":<.*>"), List.of("read"), Effect.ALLOW, Map.of()));
    }
    engine = PolicyEngine.builder().policyStore(store).build();
  }

  @Benchmark
  public boolean upsertThenCheck() {
    int i = next++ % policies;
    engine.upsertPolicy(Flavor.REGEX, new Policy("p" + i, "", List.of("users:u" + i),
        List.of("resources:articles:" + i + ":<.*>"), List.of("read", "write"), Effect.ALLOW, Map.of()));
    return engine.isAllowed(AccessRequest.of(Flavor.REGEX, "users:u" + i, "resources:articles:" + i + ":x", "write"));
  }
}
