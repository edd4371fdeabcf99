package io.ory4j.policy.relations;

import io.ory4j.core.error.OryException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace: a class in the Ory Permission Language with its {@code related} relations and {@code permits}. A
 * namespace without relations (declared by name only, as Keto's legacy config does) accepts any relation and has no
 * rewrites.
 *
 * @param name the namespace name
 * @param relations the relations by name, in declaration order
 */
public record Namespace(String name, Map<String, Relation> relations) {

  public Namespace {
    Objects.requireNonNull(name, "name");
    relations = Collections.unmodifiableMap(new LinkedHashMap<>(relations));
  }

  /** A namespace declared by name only. */
  public static Namespace named(String name) {
    return new Namespace(name, Map.of());
  }

  /** The relation, if declared. */
  public Optional<Relation> relation(String relation) {
    return Optional.ofNullable(relations.get(relation));
  }

  /** True when the namespace declares its relations (it came from OPL or a builder). */
  public boolean declaresRelations() {
    return !relations.isEmpty();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a namespace in Java, the same model OPL produces. */
  public static final class Builder {
    private final String name;
    private final Map<String, Relation> relations = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** A related relation with its allowed subject types. */
    public Builder related(String relation, RelationType... types) {
      return add(new Relation(relation, List.of(types), null));
    }

    /** A permission defined by a rewrite. */
    public Builder permits(String permission, Rewrite rewrite) {
      return add(new Relation(permission, List.of(), Objects.requireNonNull(rewrite, "rewrite")));
    }

    private Builder add(Relation r) {
      if (relations.putIfAbsent(r.name(), r) != null) {
        throw OryException.badRequest("namespace " + name + " declares relation " + r.name() + " twice");
      }
      return this;
    }

    public Namespace build() {
      return new Namespace(name, relations);
    }
  }
}
