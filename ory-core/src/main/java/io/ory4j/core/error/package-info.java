/**
 * The one exception hierarchy of ory4j. An {@link io.ory4j.core.error.OryException} carries an Ory error
 * ({@code {"error":{"code","status","reason","message",...}}}) and renders as an RFC 6749 OAuth 2.0 error as well.
 */
@NullMarked
package io.ory4j.core.error;

import org.jspecify.annotations.NullMarked;
