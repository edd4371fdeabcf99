package io.ory4j.accessrules.spi;

import java.util.Locale;

/** The four kinds of pipeline handlers, with Oathkeeper's config section names. */
public enum HandlerKind {
  AUTHENTICATOR("authenticators"),
  AUTHORIZER("authorizers"),
  MUTATOR("mutators"),
  ERROR_HANDLER("errors");

  private final String section;

  HandlerKind(String section) {
    this.section = section;
  }

  /** The config section: {@code authenticators}, {@code authorizers}, {@code mutators} or {@code errors}. */
  public String section() {
    return section;
  }

  /** The environment variable prefix, for example {@code AUTHENTICATORS}. */
  public String envPrefix() {
    return section.toUpperCase(Locale.ROOT);
  }
}
