// Runs ory4j's webauthn.js (path in argv[2]) against a fake browser: the form fields the flow's nodes make, and a
// navigator.credentials that records the options it was given and answers with fixed bytes. Prints what was
// submitted as JSON lines, for WebAuthnScriptTest to check.
'use strict';
const fs = require('fs');
const vm = require('vm');
const script = fs.readFileSync(process.argv[2], 'utf8');
const fields = {};
const submitted = [];
function input(name, value) {
  const f = { name, value, closest: () => ({ submit: () => submitted.push({ field: name, value: f.value }) }) };
  fields[name] = f;
}
['webauthn_register', 'webauthn_login', 'passkey_login', 'passkey_register'].forEach(n => input(n, ''));
const bytes = (...b) => new Uint8Array(b).buffer;
const seen = [];
const sandbox = {
  window: {},
  document: { querySelector: sel => fields[/name="([^"]+)"/.exec(sel)[1]] },
  atob: s => Buffer.from(s, 'base64').toString('binary'),
  btoa: s => Buffer.from(s, 'binary').toString('base64'),
  JSON, Object, Uint8Array, String,
  navigator: { credentials: {
    create: o => { seen.push(o); return Promise.resolve({ id: 'AQI', rawId: bytes(1, 2), type: 'public-key',
      response: { clientDataJSON: bytes(123, 125), attestationObject: bytes(0xa0, 0xff, 0xfe) } }); },
    get: o => { seen.push(o); return Promise.resolve({ id: 'AQI', rawId: bytes(1, 2), type: 'public-key',
      response: { clientDataJSON: bytes(123, 125), authenticatorData: bytes(9), signature: bytes(0xfb, 0xff),
        userHandle: bytes(7, 7) } }); },
  } },
};
vm.createContext(sandbox);
vm.runInContext(script, sandbox);
const w = sandbox.window;
const hex = buf => Buffer.from(new Uint8Array(buf)).toString('hex');
(async () => {
  const creation = { publicKey: { challenge: '_-8', user: { id: 'AAE', name: 'n', displayName: 'n' },
    excludeCredentials: [{ type: 'public-key', id: 'CQ' }], rp: { id: 'example.com', name: 'E' } } };
  await w.__oryWebAuthnRegistration(creation);
  const request = { publicKey: { challenge: '_-8', allowCredentials: [{ type: 'public-key', id: 'CQ' }] } };
  await w.__oryWebAuthnLogin(request);
  input('passkey_challenge', JSON.stringify({ publicKey: { challenge: 'AAAA' } }));
  await w.__oryPasskeyLogin();
  input('passkey_create_data', JSON.stringify(creation));
  await w.__oryPasskeyRegistration();
  console.log(JSON.stringify({
    options: seen.map(o => ({ challenge: hex(o.publicKey.challenge), user: o.publicKey.user ? hex(o.publicKey.user.id)
      : null, exclude: (o.publicKey.excludeCredentials || []).map(c => hex(c.id)),
      allow: (o.publicKey.allowCredentials || []).map(c => hex(c.id)) })),
    submitted: submitted.map(s => ({ field: s.field, credential: JSON.parse(s.value) })),
  }));
})().catch(e => { console.error(e); process.exit(1); });
