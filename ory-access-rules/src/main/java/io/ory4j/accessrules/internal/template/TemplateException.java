package io.ory4j.accessrules.internal.template;

/** A template that cannot be parsed (at rule load) or evaluated. */
public final class TemplateException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateException(String message) {
    super(message, null, false, false);
  }
}
