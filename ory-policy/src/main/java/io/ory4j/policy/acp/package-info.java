/**
 * The values of ORY Access Control Policies (Keto v0.5's ACP engine): policies, roles, conditions, flavors, access requests and decisions.
 */
@NullMarked
package io.ory4j.policy.acp;

import org.jspecify.annotations.NullMarked;
