/**
 * Oathkeeper's access rules in Java: rules in Oathkeeper's JSON/YAML format, matched by the {@code regexp} or
 * {@code glob} strategy, and run through authenticators, an authorizer, mutators and error handlers. The entry point
 * is {@link io.ory4j.accessrules.AccessRules}, an {@link io.ory4j.core.http.HttpInterceptor} built with
 * {@link io.ory4j.accessrules.AccessRules#builder()}.
 */
@NullMarked
package io.ory4j.accessrules;

import org.jspecify.annotations.NullMarked;
