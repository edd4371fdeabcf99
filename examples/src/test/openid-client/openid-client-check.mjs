// Drives the ory4j provider with panva's openid-client (an OpenID Certified relying-party library), unchanged:
// discovery, authorization code + PKCE through Hydra's login and consent challenges (answered here, as a login app
// would, on the admin API), the token request with ID token validation, userinfo, and a refresh; then the same with
// a pushed authorization request (RFC 9126) and DPoP-bound tokens (RFC 9449), with a signed request object, and
// the device authorization grant (RFC 8628).
// Usage: node openid-client-check.mjs PUBLIC ADMIN LOGIN_APP_ORIGIN. Exits non-zero naming the step that failed.
import * as client from "openid-client";

const [publicUrl, adminUrl, loginApp] = process.argv.slice(2).map((u) => u.replace(/\/$/, ""));
const REDIRECT = "http://rp.test/cb";
let step = "start";
function check(cond, what) {
  if (!cond) throw new Error(what);
}

async function admin(method, path, body) {
  const res = await fetch(adminUrl + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  check(res.status >= 200 && res.status < 300, `${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

// The browser: follows redirects with a cookie jar; the login and consent pages are the test login app below.
const cookies = new Map();
async function browse(url) {
  let next = url;
  for (let i = 0; i < 20; i++) {
    if (next.startsWith(REDIRECT) || next.startsWith(loginApp + "/device/done")) return next;
    if (next.startsWith(loginApp)) {
      next = await loginAppAnswer(new URL(next));
      continue;
    }
    const res = await fetch(next, {
      redirect: "manual",
      headers: cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {},
    });
    for (const c of res.headers.getSetCookie()) {
      const [nv] = c.split(";");
      const eq = nv.indexOf("=");
      cookies.set(nv.slice(0, eq), nv.slice(eq + 1));
    }
    check(res.status >= 300 && res.status < 400, `GET ${next} answered ${res.status}: ${await res.text()}`);
    next = new URL(res.headers.get("location"), next).toString();
  }
  throw new Error("too many redirects");
}

// The test login app: accepts the login as alice and consents to what the client asked for; its device page
// submits the user code the device showed.
let deviceUserCode = "";
async function loginAppAnswer(url) {
  if (url.pathname.endsWith("/device")) {
    const challenge = url.searchParams.get("device_challenge");
    const done = await admin("PUT", `/admin/oauth2/auth/requests/device/accept?device_challenge=${encodeURIComponent(challenge)}`,
      { user_code: deviceUserCode });
    return done.redirect_to;
  }
  if (url.pathname.endsWith("/login")) {
    const challenge = url.searchParams.get("login_challenge");
    const req = await admin("GET", `/admin/oauth2/auth/requests/login?login_challenge=${encodeURIComponent(challenge)}`);
    check(req.client && req.requested_scope.includes("openid"), "login request names the client and scopes");
    const done = await admin("PUT", `/admin/oauth2/auth/requests/login/accept?login_challenge=${encodeURIComponent(challenge)}`,
      { subject: "alice", remember: false, acr: "1" });
    return done.redirect_to;
  }
  const challenge = url.searchParams.get("consent_challenge");
  const req = await admin("GET", `/admin/oauth2/auth/requests/consent?consent_challenge=${encodeURIComponent(challenge)}`);
  check(req.subject === "alice", "consent request for alice");
  const done = await admin("PUT", `/admin/oauth2/auth/requests/consent/accept?consent_challenge=${encodeURIComponent(challenge)}`,
    { grant_scope: req.requested_scope, session: { id_token: { email: "alice@example.com" } } });
  return done.redirect_to;
}

try {
  step = "register a client (admin API), with the public key of its request objects";
  const jarKey = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
  const jarJwk = { ...(await crypto.subtle.exportKey("jwk", jarKey.publicKey)), kid: "jar-1", alg: "ES256", use: "sig" };
  const registered = await admin("POST", "/admin/clients", {
    client_name: "openid-client RP", redirect_uris: [REDIRECT], grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"], scope: "openid offline email", token_endpoint_auth_method: "client_secret_basic",
    jwks: { keys: [jarJwk] },
  });

  step = "discovery";
  const config = await client.discovery(new URL(publicUrl), registered.client_id, undefined,
    client.ClientSecretBasic(registered.client_secret), { execute: [client.allowInsecureRequests] });
  check(config.serverMetadata().issuer === publicUrl, "issuer " + config.serverMetadata().issuer);

  step = "authorization request (code + PKCE S256)";
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const authUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope: "openid offline email", state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
  });
  const callback = await browse(authUrl.toString());

  step = "token request and ID token validation";
  const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
  const claims = tokens.claims();
  check(claims.sub === "alice" && claims.email === "alice@example.com" && claims.acr === "1", "ID token claims "
    + JSON.stringify(claims));
  check(tokens.refresh_token, "a refresh token for the offline scope");

  step = "userinfo";
  const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  check(info.sub === "alice" && info.email === "alice@example.com", "userinfo " + JSON.stringify(info));

  step = "refresh";
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  check(refreshed.access_token && refreshed.access_token !== tokens.access_token, "a new access token");
  check(refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token, "a rotated refresh token");
  check(refreshed.claims()?.sub === "alice", "the refreshed ID token is alice's");
  const again = await client.fetchUserInfo(config, refreshed.access_token, "alice");
  check(again.sub === "alice", "userinfo with the refreshed token");

  step = "pushed authorization request (RFC 9126) with DPoP (RFC 9449)";
  const dpopKey = await client.randomDPoPKeyPair("ES256");
  const DPoP = client.getDPoPHandle(config, dpopKey);
  const verifier2 = client.randomPKCECodeVerifier();
  const state2 = client.randomState();
  const parUrl = await client.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: REDIRECT, scope: "openid offline email", state: state2,
    code_challenge: await client.calculatePKCECodeChallenge(verifier2), code_challenge_method: "S256",
  });
  check(parUrl.searchParams.get("request_uri")?.startsWith("urn:ietf:params:oauth:request_uri:"), "a PAR request_uri");
  const callback2 = await browse(parUrl.toString());
  const bound = await client.authorizationCodeGrant(config, new URL(callback2), {
    pkceCodeVerifier: verifier2, expectedState: state2, idTokenExpected: true,
  }, undefined, { DPoP });
  check(bound.token_type.toLowerCase() === "dpop", "a DPoP-bound access token, got " + bound.token_type);
  const boundInfo = await client.fetchUserInfo(config, bound.access_token, "alice", { DPoP });
  check(boundInfo.sub === "alice", "userinfo with the DPoP-bound token");
  const boundRefresh = await client.refreshTokenGrant(config, bound.refresh_token, undefined, { DPoP });
  check(boundRefresh.token_type.toLowerCase() === "dpop", "the refreshed token is DPoP-bound too");

  step = "signed request object (JAR, RFC 9101 / OIDC Core 6)";
  const verifier3 = client.randomPKCECodeVerifier();
  const state3 = client.randomState();
  const nonce3 = client.randomNonce();
  const jarUrl = await client.buildAuthorizationUrlWithJAR(config, {
    redirect_uri: REDIRECT, scope: "openid email", state: state3, nonce: nonce3,
    code_challenge: await client.calculatePKCECodeChallenge(verifier3), code_challenge_method: "S256",
  }, { key: jarKey.privateKey, kid: "jar-1" });
  check(jarUrl.searchParams.get("request") && !jarUrl.searchParams.get("state"), "state only inside the object");
  const callback3 = await browse(jarUrl.toString());
  const jarTokens = await client.authorizationCodeGrant(config, new URL(callback3), {
    pkceCodeVerifier: verifier3, expectedState: state3, expectedNonce: nonce3, idTokenExpected: true,
  });
  check(jarTokens.claims().sub === "alice", "the request object's flow gives alice's ID token");

  step = "device authorization grant (RFC 8628)";
  const deviceClient = await admin("POST", "/admin/clients", {
    client_name: "openid-client device", grant_types: ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"],
    scope: "openid offline", token_endpoint_auth_method: "client_secret_basic",
  });
  const deviceConfig = await client.discovery(new URL(publicUrl), deviceClient.client_id, undefined,
    client.ClientSecretBasic(deviceClient.client_secret), { execute: [client.allowInsecureRequests] });
  const deviceResponse = await client.initiateDeviceAuthorization(deviceConfig, { scope: "openid offline" });
  check(/^[B-Z]{4}-[B-Z]{4}$/.test(deviceResponse.user_code), "user code " + deviceResponse.user_code);
  deviceUserCode = deviceResponse.user_code;
  const deviceEnd = await browse(deviceResponse.verification_uri);
  check(deviceEnd.startsWith(loginApp + "/device/done"), "the browser ends on the success page: " + deviceEnd);
  const deviceTokens = await client.pollDeviceAuthorizationGrant(deviceConfig, deviceResponse);
  check(deviceTokens.claims()?.sub === "alice" && deviceTokens.refresh_token, "device tokens with alice's ID token");

  step = "the rotated refresh token is refused";
  let refused = false;
  try {
    await client.refreshTokenGrant(config, tokens.refresh_token);
  } catch (e) {
    refused = e.error === "invalid_grant";
  }
  check(refused, "reusing a rotated refresh token gives invalid_grant");
  console.log("all steps passed");
} catch (e) {
  console.error(`step failed: ${step}: ${e.stack || e}`);
  if (e.cause) console.error("cause:", e.cause);
  process.exit(1);
}
