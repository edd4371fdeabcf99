/** A read-through cache in front of any relation-tuple store, with bounded staleness. */
@NullMarked
package io.ory4j.policy.relations.store.cache;

import org.jspecify.annotations.NullMarked;
