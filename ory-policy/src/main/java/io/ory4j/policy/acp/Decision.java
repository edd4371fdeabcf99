package io.ory4j.policy.acp;

import java.util.List;

/**
 * The answer to an {@link AccessRequest}, with its explanation: allowed when at least one matching policy allows and
 * none denies. The policy id lists are filled only when an explanation was asked for.
 *
 * @param allowed whether the request is allowed
 * @param allowedBy ids of matching allow policies
 * @param deniedBy ids of matching deny policies
 */
public record Decision(boolean allowed, List<String> allowedBy, List<String> deniedBy) {

  public Decision {
    allowedBy = List.copyOf(allowedBy);
    deniedBy = List.copyOf(deniedBy);
  }
}
