/**
 * Oathkeeper's built-in handlers (authenticators, authorizers, mutators, error handlers) and the remote HTTP
 * implementations of the in-process shortcut interfaces. Not API.
 */
@NullMarked
package io.ory4j.accessrules.internal.handlers;

import org.jspecify.annotations.NullMarked;
