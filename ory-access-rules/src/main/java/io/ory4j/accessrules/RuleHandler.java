package io.ory4j.accessrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One handler reference in a rule: {@code {"handler": "jwt", "config": {...}}}. The config is merged over the
 * handler's global config when the rule set is loaded.
 *
 * @param handler the handler name, for example {@code cookie_session}
 * @param config the per-rule config (an empty object when the rule has none)
 */
public record RuleHandler(String handler, ObjectNode config) {

  public RuleHandler {
    Objects.requireNonNull(handler, "handler");
    config = config == null ? JsonNodeFactory.instance.objectNode() : config.deepCopy();
  }

  /** A handler without per-rule config. */
  public static RuleHandler of(String handler) {
    return new RuleHandler(handler, JsonNodeFactory.instance.objectNode());
  }

  /** A handler with per-rule config. */
  public static RuleHandler of(String handler, JsonNode config) {
    if (!(config instanceof ObjectNode o)) {
      throw new IllegalArgumentException("the config of handler " + handler + " must be a JSON object");
    }
    return new RuleHandler(handler, o);
  }

  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }
}
