package io.ory4j.core.http;

/**
 * Handles one request. Endpoints follow the same three steps: parse the request into a value, call the service,
 * write the response. Errors are thrown as {@link io.ory4j.core.error.OryException}; the {@link Router} renders them.
 */
@FunctionalInterface
public interface HttpHandler {
  HttpResponse handle(HttpRequest request);
}
