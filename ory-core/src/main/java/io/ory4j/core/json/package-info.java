/**
 * One factory for a configured Jackson {@code ObjectMapper}: ISO-8601 instants, snake_case where Ory's APIs use it,
 * and clear errors on malformed JSON.
 */
@NullMarked
package io.ory4j.core.json;

import org.jspecify.annotations.NullMarked;
