package io.ory4j.identity.spi;

/**
 * Tells whether a password is known from data breaches. The default is an offline list of the most common breached
 * passwords; a k-anonymity range client (as Kratos uses haveibeenpwned) can be plugged in.
 */
@FunctionalInterface
public interface BreachedPasswords {
  boolean isBreached(String password);
}
