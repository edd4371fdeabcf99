package io.ory4j.identity.spi;

import io.ory4j.identity.Identity;

/**
 * An in-process hook after registration or login, for hosts that would otherwise run a web hook against
 * themselves. It runs where Kratos runs a web hook that can interrupt: after registration before the identity is
 * stored, after login (first factor, second factor, refresh) before the session is stored; after settings, recovery
 * and verification once the change is stored.
 *
 * <p>Return the identity to continue with: {@code context.identity()} unchanged, or (after registration) a copy with
 * other traits, metadata or state, which is validated against its schema again before it is stored. Throw an
 * {@link io.ory4j.identity.IdentityException} to interrupt the flow: its messages are shown in the flow's UI (use
 * the constructor taking field messages to attach messages to a field such as {@code traits.email}). Any other exception
 * fails the request with a 500 Ory error.
 */
@FunctionalInterface
public interface SelfServiceHook {

  /** Runs the hook; see the interface description. */
  Identity execute(HookContext context);
}
