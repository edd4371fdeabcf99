/**
 * ory-policy, Keto's access control engines as a library. {@link io.ory4j.policy.PolicyEngine} is the entry point for ORY Access Control Policies (Keto up to v0.5); the policy and role values live in {@code io.ory4j.policy.acp}.
 */
@NullMarked
package io.ory4j.policy;

import org.jspecify.annotations.NullMarked;
