/**
 * In-memory stores for tests, examples and single-node deployments that may lose their state on restart.
 */
@NullMarked
package io.ory4j.oauth2.store.memory;

import org.jspecify.annotations.NullMarked;
