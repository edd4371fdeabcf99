package io.ory4j.policy.acp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ORY Access Control Policy: who ({@code subjects}) may or may not ({@code effect}) do what ({@code actions}) on
 * which {@code resources}, under which {@code conditions} (keyed by the context key they read).
 *
 * @param id the policy id, unique within a flavor
 * @param description a human-readable description
 * @param subjects subject patterns (a role id matches the role's members)
 * @param resources resource patterns
 * @param actions action patterns
 * @param effect allow or deny
 * @param conditions conditions keyed by context key; all must hold
 */
public record Policy(String id, String description, List<String> subjects, List<String> resources, List<String> actions,
    Effect effect, Map<String, Condition> conditions) {

  public Policy {
    Objects.requireNonNull(id, "id");
    description = description == null ? "" : description;
    subjects = List.copyOf(subjects == null ? List.of() : subjects);
    resources = List.copyOf(resources == null ? List.of() : resources);
    actions = List.copyOf(actions == null ? List.of() : actions);
    Objects.requireNonNull(effect, "effect");
    conditions = conditions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(conditions));
  }

  /** A builder for a policy with {@code id}. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id).description(description).effect(effect);
    b.subjects.addAll(subjects);
    b.resources.addAll(resources);
    b.actions.addAll(actions);
    b.conditions.putAll(conditions);
    return b;
  }

  /** Whether the effect is allow. */
  public boolean allows() {
    return effect == Effect.ALLOW;
  }

  /** Builds a {@link Policy}; the effect defaults to allow. */
  public static final class Builder {
    private String id;
    private String description = "";
    private final List<String> subjects = new ArrayList<>();
    private final List<String> resources = new ArrayList<>();
    private final List<String> actions = new ArrayList<>();
    private Effect effect = Effect.ALLOW;
    private final Map<String, Condition> conditions = new LinkedHashMap<>();

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    public Builder id(String v) {
      id = Objects.requireNonNull(v, "id");
      return this;
    }

    public Builder description(String v) {
      description = Objects.requireNonNull(v, "description");
      return this;
    }

    public Builder subjects(String... v) {
      subjects.addAll(List.of(v));
      return this;
    }

    public Builder resources(String... v) {
      resources.addAll(List.of(v));
      return this;
    }

    public Builder actions(String... v) {
      actions.addAll(List.of(v));
      return this;
    }

    public Builder effect(Effect v) {
      effect = Objects.requireNonNull(v, "effect");
      return this;
    }

    public Builder allow() {
      return effect(Effect.ALLOW);
    }

    public Builder deny() {
      return effect(Effect.DENY);
    }

    /** Adds a condition on the context value under {@code key}. */
    public Builder condition(String key, Condition condition) {
      conditions.put(key, condition);
      return this;
    }

    public Policy build() {
      return new Policy(id, description, subjects, resources, actions, effect, conditions);
    }
  }
}
