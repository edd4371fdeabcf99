/**
 * Extension points of the access-rule pipeline: the handler SPI ({@link io.ory4j.accessrules.spi.Authenticator},
 * {@link io.ory4j.accessrules.spi.Authorizer}, {@link io.ory4j.accessrules.spi.Mutator},
 * {@link io.ory4j.accessrules.spi.ErrorHandler}, each made by a {@link io.ory4j.accessrules.spi.HandlerFactory} from
 * its merged config), the session they share, and the small interfaces the built-in handlers call
 * ({@link io.ory4j.accessrules.spi.TokenIntrospector}, {@link io.ory4j.accessrules.spi.AcpDecider},
 * {@link io.ory4j.accessrules.spi.SessionResolver}) so an embedded OAuth2Provider, policy engine or identity service
 * can answer in-process instead of over HTTP.
 */
@NullMarked
package io.ory4j.accessrules.spi;

import org.jspecify.annotations.NullMarked;
