package io.ory4j.testkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.acp.Condition;
import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Policy;
import io.ory4j.policy.acp.PolicyFilter;
import io.ory4j.policy.acp.spi.PolicyStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PolicyStore}. Extend it and implement {@link #newStore()} (a fresh, empty store per call)
 * to prove a store.
 */
public abstract class PolicyStoreContract {

  /** A fresh, empty store. */
  protected abstract PolicyStore newStore();

  private static Policy policy(String id, List<String> subjects, List<String> resources, List<String> actions) {
    return new Policy(id, "", subjects, resources, actions, io.ory4j.policy.acp.Effect.ALLOW, Map.of());
  }

  private static List<String> ids(List<Policy> ps) {
    return ps.stream().map(Policy::id).toList();
  }

  @Test
  void findWhenStoredThenEveryFieldRoundTrips() {
    PolicyStore store = newStore();
    Policy p = Policy.builder("p-ü:1").description("Zugriff für <alle>").subjects("users:<.*>", "ä")
        .resources("resources:articles:<[0-9]+>").actions("get", "put").deny()
        .condition("ip", Condition.cidr("10.0.0.0/8"))
        .condition("pairs", Condition.of("StringPairsEqualCondition", Map.of()))
        .condition("custom", Condition.of("Custom", Map.of("nested", Map.of("list", List.of("a", 1, true)))))
        .build();
    store.upsert(Flavor.REGEX, p);
    Policy found = store.find(Flavor.REGEX, "p-ü:1").orElseThrow();
    assertEquals(p.id(), found.id());
    assertEquals(p.description(), found.description());
    assertEquals(p.subjects(), found.subjects());
    assertEquals(p.resources(), found.resources());
    assertEquals(p.actions(), found.actions());
    assertEquals(p.effect(), found.effect());
    assertEquals(p.conditions(), found.conditions());
  }

  @Test
  void findWhenAbsentThenEmpty() {
    assertTrue(newStore().find(Flavor.EXACT, "nope").isEmpty());
  }

  @Test
  void upsertWhenIdExistsThenReplaced() {
    PolicyStore store = newStore();
    store.upsert(Flavor.EXACT, policy("p", List.of("a"), List.of("r"), List.of("x")));
    store.upsert(Flavor.EXACT, policy("p", List.of("b"), List.of(), List.of("y", "z")));
    Policy p = store.find(Flavor.EXACT, "p").orElseThrow();
    assertEquals(List.of("b"), p.subjects());
    assertEquals(List.of(), p.resources());
    assertEquals(List.of("y", "z"), p.actions());
    assertEquals(1, store.all(Flavor.EXACT).size());
    assertEquals(List.of(), ids(store.list(Flavor.EXACT, new PolicyFilter("a", null, null), 100, 0)));
    assertEquals(List.of("p"), ids(store.list(Flavor.EXACT, new PolicyFilter("b", null, null), 100, 0)));
  }

  @Test
  void upsertWhenSameIdInOtherFlavorThenSeparate() {
    PolicyStore store = newStore();
    store.upsert(Flavor.EXACT, policy("p", List.of("exact"), List.of(), List.of()));
    store.upsert(Flavor.GLOB, policy("p", List.of("glob"), List.of(), List.of()));
    assertEquals(List.of("exact"), store.find(Flavor.EXACT, "p").orElseThrow().subjects());
    assertEquals(List.of("glob"), store.find(Flavor.GLOB, "p").orElseThrow().subjects());
    assertTrue(store.find(Flavor.REGEX, "p").isEmpty());
  }

  @Test
  void deleteWhenPresentThenTrueAndGone() {
    PolicyStore store = newStore();
    store.upsert(Flavor.GLOB, policy("p", List.of("a"), List.of("r"), List.of("x")));
    assertTrue(store.delete(Flavor.GLOB, "p"));
    assertFalse(store.delete(Flavor.GLOB, "p"));
    assertTrue(store.find(Flavor.GLOB, "p").isEmpty());
    assertEquals(List.of(), store.list(Flavor.GLOB, new PolicyFilter("a", null, null), 100, 0));
  }

  @Test
  void listWhenPagedThenOrderedByIdWithLimitAndOffset() {
    PolicyStore store = newStore();
    for (String id : List.of("c", "a", "e", "b", "d")) {
      store.upsert(Flavor.EXACT, policy(id, List.of(), List.of(), List.of()));
    }
    assertEquals(List.of("a", "b", "c", "d", "e"), ids(store.list(Flavor.EXACT, PolicyFilter.none(), 100, 0)));
    assertEquals(List.of("b", "c"), ids(store.list(Flavor.EXACT, PolicyFilter.none(), 2, 1)));
    assertEquals(List.of(), ids(store.list(Flavor.EXACT, PolicyFilter.none(), 2, 5)));
    assertEquals(List.of("a", "b", "c", "d", "e"), ids(store.all(Flavor.EXACT)));
  }

  @Test
  void listWhenFilteredThenKetoSemantics() {
    PolicyStore store = newStore();
    store.upsert(Flavor.EXACT, policy("policy1", List.of("mem1", "mem2"), List.of("res1", "res2"), List.of("create")));
    store.upsert(Flavor.EXACT, policy("policy2", List.of("mem3", "mem4"), List.of("res1", "res2"), List.of("create")));
    store.upsert(Flavor.EXACT, policy("policy3", List.of("mem5", "mem6"), List.of("res3", "res4"), List.of("update")));
    assertEquals(List.of("policy1", "policy2"),
        ids(store.list(Flavor.EXACT, new PolicyFilter(null, null, "create"), 100, 0)));
    assertEquals(List.of("policy2"), ids(store.list(Flavor.EXACT, new PolicyFilter("mem3", null, null), 100, 0)));
    assertEquals(List.of("policy2"),
        ids(store.list(Flavor.EXACT, new PolicyFilter("mem3", "res2", "create"), 100, 0)));
    assertEquals(List.of(), ids(store.list(Flavor.EXACT, new PolicyFilter("mem3", "res3", "create"), 100, 0)));
    assertEquals(List.of(), ids(store.list(Flavor.EXACT, new PolicyFilter(null, null, "delete"), 100, 0)));
    assertEquals(List.of("policy3"), ids(store.list(Flavor.EXACT, new PolicyFilter(null, null, "update"), 1, 0)));
    assertEquals(List.of("policy3"),
        ids(store.list(Flavor.EXACT, new PolicyFilter("mem5", "res3", "update"), 1, 0)));
    assertEquals(List.of("policy1"), ids(store.list(Flavor.EXACT, new PolicyFilter(null, "res1", null), 1, 0)));
    assertEquals(List.of("policy2"), ids(store.list(Flavor.EXACT, new PolicyFilter(null, "res1", null), 1, 1)));
  }

  @Test
  void revisionWhenWrittenOrDeletedThenChanges() {
    PolicyStore store = newStore();
    long r0 = store.revision(Flavor.REGEX);
    store.upsert(Flavor.REGEX, policy("p", List.of(), List.of(), List.of()));
    long r1 = store.revision(Flavor.REGEX);
    assertNotEquals(r0, r1);
    store.delete(Flavor.REGEX, "p");
    assertNotEquals(r1, store.revision(Flavor.REGEX));
    assertEquals(store.revision(Flavor.REGEX), store.revision(Flavor.REGEX));
  }
}
