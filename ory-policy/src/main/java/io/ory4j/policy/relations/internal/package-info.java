/**
 * The relation-tuple engines: check, expand and the reverse object lookup. Not API: use
 * {@link io.ory4j.policy.relations.Permissions}.
 */
@NullMarked
package io.ory4j.policy.relations.internal;

import org.jspecify.annotations.NullMarked;
