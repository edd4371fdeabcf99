package io.ory4j.policy.acp.store.memory;

import io.ory4j.policy.acp.Flavor;
import io.ory4j.policy.acp.Role;
import io.ory4j.policy.acp.spi.RoleStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Roles in memory, ordered by id; thread-safe. */
public final class InMemoryRoleStore implements RoleStore {

  private final Map<Flavor, TreeMap<String, Role>> data = new EnumMap<>(Flavor.class);
  private final Map<Flavor, long[]> revisions = new EnumMap<>(Flavor.class);

  public InMemoryRoleStore() {
    for (Flavor f : Flavor.values()) {
      data.put(f, new TreeMap<>());
      revisions.put(f, new long[1]);
    }
  }

  @Override
  public synchronized void upsert(Flavor flavor, Role role) {
    data.get(flavor).put(role.id(), role);
    revisions.get(flavor)[0]++;
  }

  @Override
  public synchronized Optional<Role> find(Flavor flavor, String id) {
    return Optional.ofNullable(data.get(flavor).get(id));
  }

  @Override
  public synchronized boolean delete(Flavor flavor, String id) {
    boolean removed = data.get(flavor).remove(id) != null;
    revisions.get(flavor)[0]++;
    return removed;
  }

  @Override
  public synchronized List<Role> list(Flavor flavor, @Nullable String member, int limit, int offset) {
    return data.get(flavor).values().stream().filter(r -> member == null || r.members().contains(member))
        .skip(offset).limit(limit).toList();
  }

  @Override
  public synchronized List<Role> all(Flavor flavor) {
    return new ArrayList<>(data.get(flavor).values());
  }

  @Override
  public synchronized Role addMembers(Flavor flavor, String id, List<String> members) {
    Role existing = data.get(flavor).get(id);
    LinkedHashSet<String> m = new LinkedHashSet<>(existing == null ? List.of() : existing.members());
    m.addAll(members);
    Role r = new Role(id, new ArrayList<>(m));
    upsert(flavor, r);
    return r;
  }

  @Override
  public synchronized Optional<Role> removeMember(Flavor flavor, String id, String member) {
    Role existing = data.get(flavor).get(id);
    if (existing == null) {
      return Optional.empty();
    }
    Role r = new Role(id, existing.members().stream().filter(x -> !x.equals(member)).toList());
    upsert(flavor, r);
    return Optional.of(r);
  }

  @Override
  public synchronized long revision(Flavor flavor) {
    return revisions.get(flavor)[0];
  }
}
