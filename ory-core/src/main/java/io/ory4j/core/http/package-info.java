/**
 * A framework-neutral HTTP model: requests, responses, handlers, a router with path templates, interceptors
 * (filters), and error renderers for Ory's error JSON and OAuth 2.0 errors. ory-servlet-adapters bridges it to Jakarta
 * Servlet.
 */
@NullMarked
package io.ory4j.core.http;

import org.jspecify.annotations.NullMarked;
