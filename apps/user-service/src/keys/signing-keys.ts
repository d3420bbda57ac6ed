import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  KeyObject,
  randomUUID,
} from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError } from '@microshop/config';
import { JWT_ALGORITHM, JWT_CURVE } from '@microshop/auth';
import { calculateJwkThumbprint, exportJWK, JWK } from 'jose';

/** The key user-service signs access tokens with, and what it publishes of it. */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKeyPem: string;
  /** The `kid` header of every token, and of the key in the JWKS. */
  kid: string;
  /** The public key as served by `/.well-known/jwks.json`. */
  publicJwk: JWK;
  origin: 'configured' | 'development key created' | 'development key reused';
}

export const SIGNING_KEYS = Symbol('SIGNING_KEYS');

/**
 * The configured private key, or, when none is configured, the development key in `devKeyPath`,
 * created on first start. The kid is `JWT_KEY_ID` or the key's RFC 7638 thumbprint, so it is stable
 * for a given key.
 */
export async function loadSigningKeys(settings: {
  privateKeyPem?: string;
  keyId?: string;
  devKeyPath: string;
}): Promise<SigningKeys> {
  let pem = settings.privateKeyPem;
  let origin: SigningKeys['origin'] = 'configured';
  if (!pem) {
    const dev = await developmentKey(settings.devKeyPath);
    pem = dev.pem;
    origin = dev.created ? 'development key created' : 'development key reused';
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
    if (privateKey.asymmetricKeyDetails?.namedCurve !== JWT_CURVE) throw new Error('not P-256');
  } catch (err) {
    throw new ConfigError(
      `Invalid configuration: JWT_PRIVATE_KEY: not set, and the development key ${settings.devKeyPath} is unusable (${(err as Error).message}); delete it to have a new one created`,
    );
  }
  const publicKey = createPublicKey(privateKey);
  const jwk = await exportJWK(publicKey);
  const kid = settings.keyId ?? (await calculateJwkThumbprint(jwk));
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    kid,
    publicJwk: { ...jwk, kid, alg: JWT_ALGORITHM, use: 'sig' },
    origin,
  };
}

/**
 * Reads the development key, or creates it. Creation is atomic and safe when several processes
 * start at once: each writes a complete temporary file and hard-links it into place; `link`
 * fails if the name exists, so exactly one key wins and everybody reads that one.
 */
async function developmentKey(path: string): Promise<{ pem: string; created: boolean }> {
  const tmp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  let created = false;
  try {
    const existing = await readIfExists(path);
    if (existing !== null) return { pem: existing, created: false };
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: JWT_CURVE });
    await writeFile(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
      flag: 'wx',
    });
    await link(tmp, path);
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new ConfigError(
        `Invalid configuration: JWT_PRIVATE_KEY: not set, and no development key can be read or created at ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); configure JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE`,
      );
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return { pem: await readFile(path, 'utf8'), created };
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}
