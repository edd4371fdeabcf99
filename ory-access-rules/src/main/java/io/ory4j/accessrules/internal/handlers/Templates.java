package io.ory4j.accessrules.internal.handlers;

import io.ory4j.accessrules.internal.template.Template;
import io.ory4j.accessrules.internal.template.TemplateException;
import io.ory4j.accessrules.spi.HandlerConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses a handler's templates at rule load, naming the field of a bad one. */
final class Templates {
  private Templates() {}

  static Template one(HandlerConfig c, String field, String source) {
    try {
      return Template.parse(source);
    } catch (TemplateException e) {
      throw c.invalid(field, "invalid template: " + e.getMessage());
    }
  }

  static Map<String, Template> map(HandlerConfig c, String field) {
    Map<String, Template> out = new LinkedHashMap<>();
    c.stringMap(field).forEach((k, v) -> out.put(k, one(c, field + "." + k, v)));
    return out;
  }

  static String render(Template t, io.ory4j.accessrules.spi.AuthenticationSession s) {
    try {
      return t.render(s);
    } catch (TemplateException e) {
      throw Errors.internal("A template failed: " + e.getMessage());
    }
  }
}
