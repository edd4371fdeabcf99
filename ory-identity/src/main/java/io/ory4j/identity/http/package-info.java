/**
 * Kratos' HTTP API on the core HTTP model: the admin API ({@code /admin/identities}, {@code /admin/sessions}) and the
 * public API ({@code /sessions/whoami}, {@code /sessions}, the API flavor of the registration and login flows,
 * {@code /self-service/logout/api}, {@code /schemas}).
 */
@NullMarked
package io.ory4j.identity.http;

import org.jspecify.annotations.NullMarked;
