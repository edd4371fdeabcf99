package io.ory4j.policy.acp;

import java.util.List;
import java.util.Objects;

/**
 * A role: a group of subjects. A policy naming the role id among its subjects applies to every member (one level:
 * a role is not a member of another role, as in Keto).
 *
 * @param id the role id, unique within a flavor
 * @param members the subjects in the role (matched by string equality)
 */
public record Role(String id, List<String> members) {

  public Role {
    Objects.requireNonNull(id, "id");
    members = List.copyOf(members == null ? List.of() : members);
  }

  /** A role with {@code members}. */
  public static Role of(String id, String... members) {
    return new Role(id, List.of(members));
  }
}
