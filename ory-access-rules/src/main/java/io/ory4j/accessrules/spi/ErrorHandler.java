package io.ory4j.accessrules.spi;

import io.ory4j.core.error.OryException;
import io.ory4j.core.http.HttpResponse;

/** An error handler, configured for one rule: answers a failed request. Its {@code when} is checked before. */
@FunctionalInterface
public interface ErrorHandler {
  HttpResponse handle(RequestContext request, OryException error);
}
