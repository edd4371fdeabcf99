package io.ory4j.servlet;

import io.ory4j.core.http.HttpInterceptor;

/**
 * The access rules as a servlet filter in front of the host's endpoints: pass an {@code AccessRules} from
 * ory-access-rules (it implements {@link HttpInterceptor}). An allowed request continues down the chain with the
 * mutators' headers; a refused one is answered by the rule's error handler.
 *
 * <pre>{@code
 * context.addFilter(new FilterHolder(new AccessRuleFilter(accessRules)), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 */
public class AccessRuleFilter extends OryFilter {

  private static final long serialVersionUID = 1L;

  public AccessRuleFilter(HttpInterceptor accessRules) {
    super(accessRules);
  }
}
