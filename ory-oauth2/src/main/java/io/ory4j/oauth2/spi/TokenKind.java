package io.ory4j.oauth2.spi;

/** What a stored token session stands for. The PKCE and OIDC data of a code live in its session's data. */
public enum TokenKind {
  AUTHORIZE_CODE,
  ACCESS_TOKEN,
  REFRESH_TOKEN,
  /** A pushed authorization request (RFC 9126): its parameters, by the signature of its {@code request_uri}. */
  PUSHED_REQUEST,
  /** A device code (RFC 8628), and the marks of its polls, approval or denial. */
  DEVICE_CODE,
  /** A user code, a device challenge or a device verifier of the device flow, pointing at its device code. */
  DEVICE_STEP
}
