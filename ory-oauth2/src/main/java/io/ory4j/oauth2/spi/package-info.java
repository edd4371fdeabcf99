/**
 * The storage interfaces of the provider ({@link io.ory4j.oauth2.spi.ClientStore}, {@link io.ory4j.oauth2.spi.FlowStore}, {@link io.ory4j.oauth2.spi.TokenStore}, {@link io.ory4j.oauth2.spi.JtiStore}) and the records they hold. Implement them to keep the provider's state elsewhere; prove an implementation with the contracts in ory-testkit.
 */
@NullMarked
package io.ory4j.oauth2.spi;

import org.jspecify.annotations.NullMarked;
