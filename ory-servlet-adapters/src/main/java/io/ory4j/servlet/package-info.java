/**
 * Jakarta Servlet 6 adapters over the ory4j HTTP model, with no logic of their own: {@link io.ory4j.servlet.OryServlet}
 * serves any {@link io.ory4j.core.http.HttpHandler} (an engine's public or admin API), and
 * {@link io.ory4j.servlet.OryFilter} puts any {@link io.ory4j.core.http.HttpInterceptor} (the access rules) in front
 * of the host's endpoints.
 */
@NullMarked
package io.ory4j.servlet;

import org.jspecify.annotations.NullMarked;
