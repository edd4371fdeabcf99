/** The in-memory relation-tuple store, indexed both ways (object to subjects, subject to tuples). */
@NullMarked
package io.ory4j.policy.relations.store.memory;

import org.jspecify.annotations.NullMarked;
