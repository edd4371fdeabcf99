/**
 * JMH benchmarks of ory-oauth2: client_credentials issuance (opaque and JWT with RS256 and ES256), opaque token
 * introspection with a thousand and a million tokens stored, and the full authorization code flow; in memory and on
 * H2.
 */
@NullMarked
package io.ory4j.benchmarks.oauth2;

import org.jspecify.annotations.NullMarked;
