/**
 * In-memory policy and role stores, for tests and single-process use.
 */
@NullMarked
package io.ory4j.policy.acp.store.memory;

import org.jspecify.annotations.NullMarked;
