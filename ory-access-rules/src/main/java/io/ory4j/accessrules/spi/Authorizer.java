package io.ory4j.accessrules.spi;

/** An authorizer, configured for one rule. */
@FunctionalInterface
public interface Authorizer {
  /**
   * Authorizes the authenticated request.
   *
   * @throws io.ory4j.core.error.OryException to refuse (usually 403)
   */
  void authorize(RequestContext request, AuthenticationSession session);

  /**
   * Whether this authorizer reads the request body ({@link io.ory4j.core.http.HttpRequest#body()}), as Oathkeeper's
   * {@code remote} authorizer does. When true and the body is still on the wire (a streaming adapter), the pipeline
   * buffers it, up to the configured bound, before calling {@link #authorize} and hands the same bytes on
   * downstream; when false (the default) the body stays streaming.
   */
  default boolean needsRequestBody() {
    return false;
  }
}
