/**
 * Conformance kits for ory-policy's storage SPIs: extend {@link io.ory4j.testkit.policy.PolicyStoreContract} and
 * {@link io.ory4j.testkit.policy.RoleStoreContract} to prove a store.
 */
@NullMarked
package io.ory4j.testkit.policy;

import org.jspecify.annotations.NullMarked;
