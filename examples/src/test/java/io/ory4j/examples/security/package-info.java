/**
 * Security checks against the running example server (issue #11): exact redirect URI matching, no open redirect,
 * PKCE downgrade, code injection, CSRF on every browser flow, constant-time comparisons, security headers and cookie
 * flags. Each test asserts the exact refusal.
 */
package io.ory4j.examples.security;
