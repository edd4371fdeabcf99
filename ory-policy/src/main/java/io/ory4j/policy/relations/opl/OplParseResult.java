package io.ory4j.policy.relations.opl;

import io.ory4j.policy.relations.Namespace;
import java.util.List;

/**
 * The outcome of parsing an OPL document: the namespaces, and the errors (empty when the document is valid).
 *
 * @param namespaces the namespaces parsed (possibly partial when there are errors)
 * @param errors the errors, in source order
 */
public record OplParseResult(List<Namespace> namespaces, List<OplError> errors) {
  public OplParseResult {
    namespaces = List.copyOf(namespaces);
    errors = List.copyOf(errors);
  }

  public boolean isValid() {
    return errors.isEmpty();
  }
}
