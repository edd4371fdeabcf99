package io.ory4j.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ory4j.policy.acp.AccessRequest;
import io.ory4j.policy.acp.Effect;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.store.memory.InMemoryPolicyStore;
import io.ory4j.policy.acp.store.memory.InMemoryRoleStore;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The index is an optimisation only: for any policies, roles and requests it decides as a scan of every policy. */
class IndexAgreesWithScanTest {

  private static final Map<Flavor, List<String>> TOKENS = Map.of(
      Flavor.EXACT, List.of("a", "b", ":"),
      Flavor.GLOB, List.of("a", "b", ":", "*", "**", "?", "[ab]", "{a,b:}", "\\*"),
      Flavor.REGEX, List.of("a", "b", ":", "<.*>", "<[ab]>", "<a|b:>", "<[^:]*>", ".", "<>"));

  private static Arbitrary<String> text(List<String> tokens, int max) {
    return Arbitraries.of(tokens).list().ofMinSize(0).ofMaxSize(max).map(l -> String.join("", l));
  }

  private static Arbitrary<String> value() {
    return text(List.of("a", "b", ":", "r1", "r2"), 4);
  }

  record Scenario(Flavor flavor, List<Policy> policies, List<Role> roles, List<AccessRequest> requests) {}

  @Provide
  Arbitrary<Scenario> scenarios() {
    return Arbitraries.of(Flavor.class).flatMap(flavor -> {
      Arbitrary<String> pattern = text(TOKENS.get(flavor), 3);
      Arbitrary<Policy> policy = Combinators.combine(pattern.list().ofMaxSize(3), pattern.list().ofMaxSize(3),
          pattern.list().ofMaxSize(2), Arbitraries.of(Effect.class), Arbitraries.integers().between(0, 1_000_000))
          .as((s, r, a, e, id) -> new Policy("p" + id, "", s, r, a, e, Map.of()));
      Arbitrary<Role> role = Combinators.combine(Arbitraries.of("r1", "r2", "a", "a:b"), value().list().ofMaxSize(3))
          .as(Role::new);
      Arbitrary<AccessRequest> request = Combinators.combine(value(), value(), value())
          .as((s, r, a) -> AccessRequest.of(flavor, s, r, a));
      return Combinators.combine(policy.list().ofMaxSize(25), role.list().ofMaxSize(3), request.list().ofSize(15))
          .as((ps, rs, qs) -> new Scenario(flavor, ps, rs, qs));
    });
  }

  record Write(int kind, Policy policy, Role role, String member) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<String> pattern = text(List.of("a", "b", ":", "*", "<.*>", "r1"), 3);
    Arbitrary<Policy> policy = Combinators.combine(pattern.list().ofMaxSize(2), pattern.list().ofMaxSize(2),
        pattern.list().ofMaxSize(2), Arbitraries.of(Effect.class), Arbitraries.integers().between(0, 20))
        .as((s, r, a, e, id) -> new Policy("p" + id, "", s, r, a, e, Map.of()));
    Arbitrary<Role> role = Combinators.combine(Arbitraries.of("r1", "r2", "a", "a:b"), value().list().ofMaxSize(3))
        .as(Role::new);
    return Combinators.combine(Arbitraries.integers().between(0, 5), policy, role, value()).as(Write::new).list()
        .ofMaxSize(12);
  }

  /** Writes through the engine patch its index in place of a rebuild; the result must equal a fresh build. */
  @Property(tries = 300)
  void decideWhenWrittenThroughEngineThenSameAsFreshIndex(@ForAll("scenarios") Scenario s,
      @ForAll("writes") List<Write> writes) {
    InMemoryPolicyStore policies = new InMemoryPolicyStore();
    InMemoryRoleStore roles = new InMemoryRoleStore();
    s.policies().forEach(p -> policies.upsert(s.flavor(), p));
    s.roles().forEach(r -> roles.upsert(s.flavor(), r));
    PolicyEngine engine = PolicyEngine.builder().policyStore(policies).roleStore(roles)
        .maxStaleness(java.time.Duration.ofDays(1)).build();
    for (Write w : writes) {
      engine.isAllowed(s.requests().get(0)); // keep a snapshot to patch
      try {
        switch (w.kind()) {
          case 0 -> engine.upsertPolicy(s.flavor(), w.policy());
          case 1 -> engine.deletePolicy(s.flavor(), w.policy().id());
          case 2 -> engine.upsertRole(s.flavor(), w.role());
          case 3 -> engine.addRoleMembers(s.flavor(), w.role().id(), w.role().members());
          case 4 -> engine.removeRoleMember(s.flavor(), w.role().id(), w.member());
          default -> engine.deleteRole(s.flavor(), w.role().id());
        }
      } catch (io.ory4j.core.error.OryException invalidPattern) {
        // refused writes change nothing
      }
    }
    PolicyEngine fresh = PolicyEngine.builder().policyStore(policies).roleStore(roles).indexing(false).build();
    for (AccessRequest q : s.requests()) {
      assertEquals(fresh.explain(q), engine.explain(q), q.toString());
    }
  }

  @Property(tries = 400)
  void decideWhenIndexedThenSameAsPlainScan(@ForAll("scenarios") Scenario s) {
    InMemoryPolicyStore policies = new InMemoryPolicyStore();
    InMemoryRoleStore roles = new InMemoryRoleStore();
    s.policies().forEach(p -> policies.upsert(s.flavor(), p));
    s.roles().forEach(r -> roles.upsert(s.flavor(), r));
    PolicyEngine indexed = PolicyEngine.builder().policyStore(policies).roleStore(roles).build();
    PolicyEngine scan = PolicyEngine.builder().policyStore(policies).roleStore(roles).indexing(false).build();
    for (AccessRequest q : s.requests()) {
      assertEquals(scan.explain(q), indexed.explain(q), q.toString());
      assertEquals(scan.isAllowed(q), indexed.isAllowed(q), q.toString());
    }
  }
}
