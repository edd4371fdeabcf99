/**
 * Spring Authorization Server in its stock Spring Boot setup, the peer of the OAuth 2.0 HTTP benchmarks: one
 * confidential client with a bcrypt-hashed secret (Spring's default password encoder; plain text on
 * request), reference (opaque) access tokens, and the in-memory authorization service, optionally preloaded.
 */
package io.ory4j.benchmarks.peers.sas;
