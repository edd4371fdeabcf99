/**
 * In-memory implementations of the ory-core SPIs, for tests and {@code DSN=memory}.
 */
@NullMarked
package io.ory4j.core.store.memory;

import org.jspecify.annotations.NullMarked;
