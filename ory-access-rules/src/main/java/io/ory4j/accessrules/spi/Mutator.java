package io.ory4j.accessrules.spi;

/** A mutator, configured for one rule: changes the session, usually the headers for the upstream. */
@FunctionalInterface
public interface Mutator {
  void mutate(RequestContext request, AuthenticationSession session);
}
