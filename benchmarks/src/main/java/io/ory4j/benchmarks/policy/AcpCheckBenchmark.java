package io.ory4j.benchmarks.policy;

import io.ory4j.policy.PolicyEngine;
import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Effect;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;
import io.ory4j.policy.acp.store.memory.InMemoryRoleStore;
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
 * One {@code isAllowed} check of ory-policy's ACP engine against {@code policies} policies of each flavor (resources
 * {@code resources:articles:<i>:<.*>} in regex, {@code resources:articles:<i>:**} in glob, the literal resource in
 * exact), with roles. Compare with {@link CasbinCheckBenchmark}, which gets the same data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class AcpCheckBenchmark {

  @Param({"100", "1000", "10000", "100000"})
  int policies;

  @Param({"EXACT", "GLOB", "REGEX"})
  Flavor flavor;

  private PolicyEngine engine;
  private AccessRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    AcpData data = new AcpData(policies);
    InMemoryPolicyStore store = new InMemoryPolicyStore();
    InMemoryRoleStore roles = new InMemoryRoleStore();
    for (AcpData.Rule r : data.rules) {
      String resource = switch (flavor) {
        case EXACT -> "resources:articles:" + r.article() + ":body";
        case GLOB -> "resources:articles:" + r.article() + ":**";
        case REGEX -> "resources:articles:" + r.article() + ":<.*>";
      };
      store.upsert(flavor, new Policy("p" + r.article(), "", List.of(r.subject()), List.of(resource),
          List.of(r.action()), r.allow() ? Effect.ALLOW : Effect.DENY, Map.of()));
    }
    for (AcpData.Membership m : data.memberships) {
      roles.addMembers(flavor, m.role(), List.of(m.member()));
    }
    engine = PolicyEngine.builder().policyStore(store).roleStore(roles).build();
    requests = new AccessRequest[data.requests.length];
    for (int i = 0; i < requests.length; i++) {
      AcpData.Request q = data.requests[i];
      requests[i] = AccessRequest.of(flavor, q.subject(), q.resource(), q.action());
    }
    engine.isAllowed(requests[0]); // builds the index
  }

  @Benchmark
  public boolean check() {
    AccessRequest r = requests[next++ & (requests.length - 1)];
    return engine.isAllowed(r);
  }
}
