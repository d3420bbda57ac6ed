// docker compose one-shot (service jwt-keys): generate the ES256 (P-256) key pair for JWTs once.
// Private key -> volume jwt-private (mounted by user-service only), public key -> jwt-public
// (mounted by every app). Both read-only in the apps, owned by the image's `node` user (1000).
// Node's crypto is OpenSSL; using the node image avoids pulling one more image.
'use strict';
const fs = require('node:fs');
const crypto = require('node:crypto');

const PRIVATE = '/keys/private/private.pem';
const PUBLIC = '/keys/public/public.pem';
const nonEmpty = (p) => fs.existsSync(p) && fs.statSync(p).size > 0;

if (nonEmpty(PRIVATE) && nonEmpty(PUBLIC)) {
  console.log('jwt-keys: key pair already present');
  process.exit(0);
}
const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', {
  namedCurve: 'P-256',
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
for (const p of [PRIVATE, PUBLIC]) fs.rmSync(p, { force: true });
fs.writeFileSync(PRIVATE, privateKey, { mode: 0o400 });
fs.writeFileSync(PUBLIC, publicKey, { mode: 0o444 });
fs.chownSync(PRIVATE, 1000, 1000);
fs.chownSync(PUBLIC, 1000, 1000);
console.log('jwt-keys: generated a new P-256 key pair (ES256)');
