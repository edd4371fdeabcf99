/**
 * OAuth 2.0 endpoints measured over HTTP on loopback against Spring Authorization Server, each server in its own JVM
 * started by the benchmark: {@code /oauth2/token} (client_credentials, opaque tokens), introspection as the store
 * grows, and startup to first token.
 */
@NullMarked
package io.ory4j.benchmarks.oauth2.http;

import org.jspecify.annotations.NullMarked;
