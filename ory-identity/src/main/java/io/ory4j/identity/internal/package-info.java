/** Internals of ory-identity (self-service flows, UI nodes, JSON Patch). Not API. */
@NullMarked
package io.ory4j.identity.internal;

import org.jspecify.annotations.NullMarked;
