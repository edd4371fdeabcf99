/**
 * The HTTP handlers of the provider on ory-core's HTTP model, on Hydra's v2 paths and JSON: each endpoint parses the request, calls the provider, and writes the response.
 */
@NullMarked
package io.ory4j.oauth2.http;

import org.jspecify.annotations.NullMarked;
