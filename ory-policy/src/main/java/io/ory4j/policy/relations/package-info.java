/**
 * Relationship-based access control as Ory Keto serves it (Google Zanzibar's model): relation tuples
 * {@code namespace:object#relation@subject}, namespaces whose permissions are written in the Ory Permission Language,
 * and the check, expand, list and reverse-lookup operations. The entry point is
 * {@link io.ory4j.policy.relations.Permissions}.
 */
@NullMarked
package io.ory4j.policy.relations;

import org.jspecify.annotations.NullMarked;
