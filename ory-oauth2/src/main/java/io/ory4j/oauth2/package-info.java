/**
 * An embeddable OAuth 2.0 and OpenID Connect provider with Hydra's login and consent flow: {@link io.ory4j.oauth2.OAuth2Provider} (built with a builder from settings, stores, keys and a clock), its value types (clients, login and consent requests, tokens) and exceptions. The only package a user imports for normal use.
 */
@NullMarked
package io.ory4j.oauth2;

import org.jspecify.annotations.NullMarked;
