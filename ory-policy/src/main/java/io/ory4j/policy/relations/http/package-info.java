/**
 * Keto's relation-tuple HTTP API on the core HTTP model: the read API (check, batch check, list, expand,
 * namespaces, OPL syntax check, and the reverse object lookup) and the write API (put, delete by query, patch).
 */
@NullMarked
package io.ory4j.policy.relations.http;

import org.jspecify.annotations.NullMarked;
