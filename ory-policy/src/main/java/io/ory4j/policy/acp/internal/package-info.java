/**
 * Internals of the ACP engine (pattern compilation, built-in conditions, the index and its snapshot cache, JSON codec). Not API: anything here may change in any release.
 */
@NullMarked
package io.ory4j.policy.acp.internal;

import org.jspecify.annotations.NullMarked;
