/**
 * Keto v0.5's ACP HTTP API ({@code /engines/acp/ory/{flavor}/...}) as handlers on the ory-core HTTP model: parse the request into a value, call the engine, write the response.
 */
@NullMarked
package io.ory4j.policy.acp.http;

import org.jspecify.annotations.NullMarked;
