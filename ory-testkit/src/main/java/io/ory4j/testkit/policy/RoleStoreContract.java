package io.ory4j.testkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.spi.RoleStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RoleStore}. Extend it and implement {@link #newStore()} (a fresh, empty store per call) to
 * prove a store.
 */
public abstract class RoleStoreContract {

  /** A fresh, empty store. */
  protected abstract RoleStore newStore();

  private static List<String> ids(List<Role> rs) {
    return rs.stream().map(Role::id).toList();
  }

  @Test
  void findWhenStoredThenMembersInOrder() {
    RoleStore store = newStore();
    store.upsert(Flavor.EXACT, Role.of("admins", "zoë", "alice", "bob"));
    assertEquals(Role.of("admins", "zoë", "alice", "bob"), store.find(Flavor.EXACT, "admins").orElseThrow());
    assertTrue(store.find(Flavor.GLOB, "admins").isEmpty());
  }

  @Test
  void findWhenRoleHasNoMembersThenPresentAndEmpty() {
    RoleStore store = newStore();
    store.upsert(Flavor.EXACT, Role.of("empty"));
    assertEquals(Role.of("empty"), store.find(Flavor.EXACT, "empty").orElseThrow());
    assertEquals(List.of("empty"), ids(store.all(Flavor.EXACT)));
  }

  @Test
  void upsertWhenIdExistsThenReplaced() {
    RoleStore store = newStore();
    store.upsert(Flavor.EXACT, Role.of("r", "a", "b"));
    store.upsert(Flavor.EXACT, Role.of("r", "c"));
    assertEquals(Role.of("r", "c"), store.find(Flavor.EXACT, "r").orElseThrow());
  }

  @Test
  void deleteWhenPresentThenTrueAndGone() {
    RoleStore store = newStore();
    store.upsert(Flavor.REGEX, Role.of("r", "a"));
    assertTrue(store.delete(Flavor.REGEX, "r"));
    assertFalse(store.delete(Flavor.REGEX, "r"));
    assertTrue(store.find(Flavor.REGEX, "r").isEmpty());
    assertEquals(List.of(), store.list(Flavor.REGEX, "a", 100, 0));
  }

  @Test
  void listWhenFilteredByMemberThenKetoSemantics() {
    RoleStore store = newStore();
    store.upsert(Flavor.EXACT, Role.of("role1", "mem1"));
    store.upsert(Flavor.EXACT, Role.of("role2", "mem1", "mem2"));
    store.upsert(Flavor.EXACT, Role.of("role3", "mem5", "mem6"));
    assertEquals(List.of("role1", "role2"), ids(store.list(Flavor.EXACT, "mem1", 100, 0)));
    assertEquals(List.of("role2"), ids(store.list(Flavor.EXACT, "mem2", 100, 0)));
    assertEquals(List.of(), ids(store.list(Flavor.EXACT, "mem3", 100, 0)));
    assertEquals(List.of("role3"), ids(store.list(Flavor.EXACT, "mem5", 1, 0)));
    assertEquals(List.of("role2"), ids(store.list(Flavor.EXACT, null, 1, 1)));
    assertEquals(List.of(Role.of("role1", "mem1"), Role.of("role2", "mem1", "mem2"), Role.of("role3", "mem5", "mem6")),
        store.list(Flavor.EXACT, null, 100, 0));
  }

  @Test
  void addMembersWhenRoleAbsentThenCreated() {
    RoleStore store = newStore();
    assertEquals(Role.of("r", "a", "b"), store.addMembers(Flavor.GLOB, "r", List.of("a", "b", "a")));
    assertEquals(Role.of("r", "a", "b"), store.find(Flavor.GLOB, "r").orElseThrow());
  }

  @Test
  void addMembersWhenSomePresentThenAppendedOnce() {
    RoleStore store = newStore();
    store.upsert(Flavor.GLOB, Role.of("r", "a", "b"));
    assertEquals(Role.of("r", "a", "b", "c"), store.addMembers(Flavor.GLOB, "r", List.of("b", "c")));
    assertEquals(Role.of("r", "a", "b", "c"), store.find(Flavor.GLOB, "r").orElseThrow());
  }

  @Test
  void removeMemberWhenPresentThenRemoved() {
    RoleStore store = newStore();
    store.upsert(Flavor.EXACT, Role.of("r", "a", "b", "a"));
    assertEquals(Role.of("r", "b"), store.removeMember(Flavor.EXACT, "r", "a").orElseThrow());
    assertEquals(Role.of("r", "b"), store.find(Flavor.EXACT, "r").orElseThrow());
    assertEquals(Role.of("r", "b"), store.removeMember(Flavor.EXACT, "r", "zz").orElseThrow());
  }

  @Test
  void removeMemberWhenRoleAbsentThenEmpty() {
    assertTrue(newStore().removeMember(Flavor.EXACT, "nope", "a").isEmpty());
  }

  @Test
  void revisionWhenWrittenThenChanges() {
    RoleStore store = newStore();
    long r0 = store.revision(Flavor.EXACT);
    store.upsert(Flavor.EXACT, Role.of("r", "a"));
    long r1 = store.revision(Flavor.EXACT);
    assertNotEquals(r0, r1);
    store.addMembers(Flavor.EXACT, "r", List.of("b"));
    long r2 = store.revision(Flavor.EXACT);
    assertNotEquals(r1, r2);
    store.delete(Flavor.EXACT, "r");
    assertNotEquals(r2, store.revision(Flavor.EXACT));
  }
}
