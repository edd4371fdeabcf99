/**
 * Storage SPIs of ory-identity: {@link io.ory4j.identity.spi.IdentityStore} and
 * {@link io.ory4j.identity.spi.SessionStore}. Prove your own with the kits in ory-testkit.
 */
@NullMarked
package io.ory4j.identity.spi;

import org.jspecify.annotations.NullMarked;
