package io.ory4j.policy.relations.internal;

import io.ory4j.core.error.OryException;
import io.ory4j.policy.relations.Namespace;
import io.ory4j.policy.relations.Relation;
import io.ory4j.policy.relations.RelationTuple;
import io.ory4j.policy.relations.SubjectSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured namespaces, and the validation of tuples against them. */
public final class NamespaceRegistry {

  private final Map<String, Namespace> namespaces;

  public NamespaceRegistry(List<Namespace> namespaces) {
    Map<String, Namespace> m = new LinkedHashMap<>();
    for (Namespace n : namespaces) {
      if (m.put(n.name(), n) != null) {
        throw new IllegalArgumentException("namespace " + n.name() + " is declared twice");
      }
    }
    this.namespaces = java.util.Collections.unmodifiableMap(m);
  }

  public List<Namespace> all() {
    return List.copyOf(namespaces.values());
  }

  public Optional<Namespace> find(String name) {
    return Optional.ofNullable(namespaces.get(name));
  }

  /** The declared relation, or null when the namespace does not declare relations (or is unknown). */
  public Relation relation(String namespace, String relation) {
    Namespace n = namespaces.get(namespace);
    return n == null ? null : n.relations().get(relation);
  }

  /** Refuses a tuple whose namespace is unknown, or whose relation the namespace does not declare. */
  public void validate(RelationTuple t, boolean forWrite) {
    Namespace n = requireNamespace(t.namespace(), "namespace");
    if (n.declaresRelations()) {
      Relation r = n.relations().get(t.relation());
      if (r == null) {
        throw OryException.badRequest("Namespace \"" + t.namespace() + "\" has no relation \"" + t.relation() + "\".")
            .withReason("relation not found").withDetail("field", "relation");
      }
      if (forWrite && r.isPermission()) {
        throw OryException.badRequest("\"" + t.relation() + "\" is a permission of namespace \"" + t.namespace()
            + "\"; relation tuples are written for related relations only.").withDetail("field", "relation");
      }
    }
    if (t.subject() instanceof SubjectSet s) {
      Namespace sn = requireNamespace(s.namespace(), "subject_set.namespace");
      if (sn.declaresRelations() && !s.relation().isEmpty() && !sn.relations().containsKey(s.relation())) {
        throw OryException.badRequest("Namespace \"" + s.namespace() + "\" has no relation \"" + s.relation() + "\".")
            .withReason("relation not found").withDetail("field", "subject_set.relation");
      }
    }
  }

  /** The namespace, or a 400 naming the field. */
  public Namespace requireNamespace(String name, String field) {
    Namespace n = namespaces.get(name);
    if (n == null) {
      throw OryException.badRequest("Unknown namespace with name \"" + name + "\".").withReason("namespace not found")
          .withDetail("field", field);
    }
    return n;
  }
}
