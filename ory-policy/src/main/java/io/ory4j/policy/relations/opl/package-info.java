/**
 * The Ory Permission Language: a parser for the TypeScript subset Keto accepts ({@code class X implements
 * Namespace}, {@code related}, {@code permits}), turning it into {@link io.ory4j.policy.relations.Namespace}s, with
 * errors that carry their line and column.
 */
@NullMarked
package io.ory4j.policy.relations.opl;

import org.jspecify.annotations.NullMarked;
