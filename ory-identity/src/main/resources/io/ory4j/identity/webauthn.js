// ory4j's WebAuthn helper for the webauthn and passkey nodes of the self-service flows (served at
// /.well-known/ory/webauthn.js). The buttons' onclick call these functions with the options the flow holds; each
// runs the browser ceremony, writes the credential as JSON into the hidden node and submits the form.
(function () {
  'use strict';
  function toBuf(s) {
    s = s.replace(/-/g, '+').replace(/_/g, '/');
    while (s.length % 4) { s += '='; }
    var b = atob(s), u = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) { u[i] = b.charCodeAt(i); }
    return u.buffer;
  }
  function toB64(buf) {
    var u = new Uint8Array(buf), s = '';
    for (var i = 0; i < u.length; i++) { s += String.fromCharCode(u[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function ids(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: toBuf(c.id) }); });
  }
  function field(name) { return document.querySelector('input[name="' + name + '"]'); }
  function submit(name, value) {
    var f = field(name);
    f.value = JSON.stringify(value);
    f.closest('form').submit();
  }
  function create(options, target) {
    var pk = Object.assign({}, options.publicKey);
    pk.challenge = toBuf(pk.challenge);
    pk.user = Object.assign({}, pk.user, { id: toBuf(pk.user.id) });
    pk.excludeCredentials = ids(pk.excludeCredentials);
    return navigator.credentials.create({ publicKey: pk }).then(function (c) {
      submit(target, { id: c.id, rawId: toB64(c.rawId), type: c.type, response: {
        clientDataJSON: toB64(c.response.clientDataJSON), attestationObject: toB64(c.response.attestationObject) } });
    });
  }
  function get(options, target) {
    var pk = Object.assign({}, options.publicKey);
    pk.challenge = toBuf(pk.challenge);
    pk.allowCredentials = ids(pk.allowCredentials);
    return navigator.credentials.get({ publicKey: pk }).then(function (c) {
      submit(target, { id: c.id, rawId: toB64(c.rawId), type: c.type, response: {
        clientDataJSON: toB64(c.response.clientDataJSON), authenticatorData: toB64(c.response.authenticatorData),
        signature: toB64(c.response.signature),
        userHandle: c.response.userHandle ? toB64(c.response.userHandle) : null } });
    });
  }
  window.__oryWebAuthnRegistration = function (o) { return create(o, 'webauthn_register'); };
  window.__oryWebAuthnLogin = function (o) { return get(o, 'webauthn_login'); };
  window.__oryPasskeyLogin = function () { return get(JSON.parse(field('passkey_challenge').value), 'passkey_login'); };
  window.__oryPasskeyRegistration = function () {
    return create(JSON.parse(field('passkey_create_data').value), 'passkey_register');
  };
  window.__oryPasskeySettingsRegistration = window.__oryPasskeyRegistration;
})();
