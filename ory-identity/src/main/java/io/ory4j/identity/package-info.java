/**
 * ory-identity, the Kratos part of ory4j: identities with JSON Schema traits, credentials and password hashing,
 * self-service flows (registration, login, settings, recovery, verification), sessions, MFA and GDPR export, on
 * Kratos' paths and JSON.
 */
@NullMarked
package io.ory4j.identity;

import org.jspecify.annotations.NullMarked;
