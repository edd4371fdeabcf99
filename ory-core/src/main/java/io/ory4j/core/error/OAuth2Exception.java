package io.ory4j.core.error;

import java.net.URI;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2.0 error. Besides the {@link OAuth2Error} value it carries what picks the channel: when a redirect URI
 * is set (a validated one, never a raw request value), the error goes back to the client by redirect with the
 * response mode and {@code state}; otherwise it is a JSON response with the status.
 */
public class OAuth2Exception extends OryException {

  private static final long serialVersionUID = 1L;

  private final transient OAuth2Error oauth2;
  private final transient @Nullable Channel channel;

  /** Where an error produced during an authorization request is sent. */
  public record Channel(URI redirectUri, String responseMode, @Nullable String state, @Nullable String issuer) {
    public Channel {
      Objects.requireNonNull(redirectUri, "redirectUri");
      Objects.requireNonNull(responseMode, "responseMode");
    }
  }

  public OAuth2Exception(OAuth2Error error) {
    this(error, null, null);
  }

  public OAuth2Exception(OAuth2Error error, @Nullable Channel channel, @Nullable Throwable cause) {
    super(toOry(error), cause);
    this.oauth2 = error;
    this.channel = channel;
  }

  private static OryError toOry(OAuth2Error e) {
    return new OryError(null, e.status(), HttpStatusText.of(e.status()), e.hint(), e.description(), null,
        java.util.Map.of()).withId(e.error());
  }

  @Override
  public OAuth2Error toOAuth2Error() {
    return oauth2;
  }

  /** The redirect channel, when the error must go back to the client by redirect. */
  public @Nullable Channel channel() {
    return channel;
  }

  /** A copy that is sent to the client by redirect. */
  public OAuth2Exception redirectTo(Channel newChannel) {
    return new OAuth2Exception(oauth2, newChannel, getCause());
  }

  public OAuth2Exception hint(String hint) {
    return new OAuth2Exception(oauth2.withHint(hint), channel, getCause());
  }

  public OAuth2Exception debug(String debug) {
    return new OAuth2Exception(oauth2.withDebug(debug), channel, getCause());
  }

  @Override
  protected OryException copy(OryError newError, @Nullable Throwable cause) {
    return new OAuth2Exception(oauth2.withHint(newError.reason()), channel, cause);
  }

  // The RFC 6749, 6750, 7009 and OIDC errors with the statuses Hydra sends them with.
  public static OAuth2Exception invalidRequest(String description) {
    return new OAuth2Exception(new OAuth2Error("invalid_request",
        "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more "
            + "than once, or is otherwise malformed.", description, null, 400));
  }

  public static OAuth2Exception invalidClient(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_client",
        "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported "
            + "authentication method).", hint, null, 401));
  }

  public static OAuth2Exception invalidGrant(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_grant",
        "The provided authorization grant (e.g., authorization code, resource owner credentials) or refresh token is "
            + "invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was "
            + "issued to another client.", hint, null, 400));
  }

  public static OAuth2Exception unauthorizedClient(String hint) {
    return new OAuth2Exception(new OAuth2Error("unauthorized_client",
        "The client is not authorized to request a token using this method.", hint, null, 400));
  }

  public static OAuth2Exception unsupportedGrantType(String hint) {
    return new OAuth2Exception(new OAuth2Error("unsupported_grant_type",
        "The authorization grant type is not supported by the authorization server.", hint, null, 400));
  }

  public static OAuth2Exception unsupportedResponseType(String hint) {
    return new OAuth2Exception(new OAuth2Error("unsupported_response_type",
        "The authorization server does not support obtaining a token using this method.", hint, null, 400));
  }

  public static OAuth2Exception invalidScope(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_scope",
        "The requested scope is invalid, unknown, or malformed.", hint, null, 400));
  }

  public static OAuth2Exception accessDenied(String hint) {
    return new OAuth2Exception(new OAuth2Error("access_denied",
        "The resource owner or authorization server denied the request.", hint, null, 403));
  }

  public static OAuth2Exception loginRequired(String hint) {
    return new OAuth2Exception(new OAuth2Error("login_required",
        "The Authorization Server requires End-User authentication.", hint, null, 400));
  }

  public static OAuth2Exception consentRequired(String hint) {
    return new OAuth2Exception(new OAuth2Error("consent_required",
        "The Authorization Server requires End-User consent.", hint, null, 400));
  }

  public static OAuth2Exception invalidToken(String hint) {
    return new OAuth2Exception(new OAuth2Error("invalid_token",
        "The access token provided is expired, revoked, malformed, or invalid for other reasons.", hint, null, 401));
  }

  public static OAuth2Exception serverError(String hint) {
    return new OAuth2Exception(new OAuth2Error("server_error",
        "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.",
        hint, null, 500));
  }

  public static OAuth2Exception temporarilyUnavailable(String hint) {
    return new OAuth2Exception(new OAuth2Error("temporarily_unavailable",
        "The authorization server is currently unable to handle the request due to a temporary overloading or "
            + "maintenance of the server.", hint, null, 503));
  }
}
