/** In-memory identity and session stores, for tests and {@code DSN=memory}. */
@NullMarked
package io.ory4j.identity.store.memory;

import org.jspecify.annotations.NullMarked;
