/**
 * The access rules over HTTP, on ory-core's HTTP model: Oathkeeper's decision API ({@code /decisions/...} with the
 * {@code X-Forwarded-*} headers, for nginx {@code auth_request}, Traefik and Envoy), the rules API
 * ({@code GET /rules}, {@code GET /rules/{id}}, {@code GET /.well-known/jwks.json}) and a reverse proxy to each rule's
 * upstream.
 */
@NullMarked
package io.ory4j.accessrules.http;

import org.jspecify.annotations.NullMarked;
