/**
 * Issue 9, auth: the CRM's JWKS URL, served for real by a local HTTP server (port 0) with
 * jose-generated public keys; and tokens without `exp`, which would never expire, are refused.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDeskError } from '../../src/errors.js';
import { createVerifier, type Verifier } from '../../src/server/auth.js';
import { SECRET } from './support.js';

interface Pair {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}
async function pair(alg: 'RS256' | 'ES256', kid: string): Promise<Pair> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { alg, kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

const sign = (
  key: { alg: string; kid: string; privateKey: CryptoKey | Uint8Array },
  userId: string,
  exp: number | null = Math.floor(Date.now() / 1000) + 600,
) => {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setSubject(userId)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 1000);
  if (exp !== null) jwt = jwt.setExpirationTime(exp);
  return jwt.sign(key.privateKey);
};

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isDeskError(error), String(error)).toBe(true);
  return error as { code: string; message: string };
}

let jwks: Server;
let requests = 0;
let verify: Verifier;
let rsa: Pair;
let ec: Pair;
beforeAll(async () => {
  rsa = await pair('RS256', 'rsa-1');
  ec = await pair('ES256', 'ec-1');
  jwks = createServer((req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  verify = createVerifier({ jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json` });
});
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

describe('JWKS auth', () => {
  it('accepts RS256 and ES256 tokens signed by the published keys', async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    expect(await verify(await sign(rsa, 'sam', exp))).toEqual({
      userId: 'sam',
      expiresAt: exp * 1000,
    });
    expect((await verify(await sign(ec, 'lee'))).userId).toBe('lee');
    expect(requests).toBeGreaterThan(0); // the keys came from the URL
  });

  it('refuses a token signed by another key, even under a published kid', async () => {
    const other = await pair('RS256', 'rsa-1');
    const forged = await refusal(verify(await sign(other, 'sam')));
    expect(forged.code).toBe('unauthorized');
    const unknownKid = await pair('ES256', 'not-published');
    expect((await refusal(verify(await sign(unknownKid, 'sam')))).code).toBe('unauthorized');
  });

  it('refuses an expired token', async () => {
    const expired = await refusal(
      verify(await sign(rsa, 'sam', Math.floor(Date.now() / 1000) - 60)),
    );
    expect(expired.code).toBe('unauthorized');
    expect(expired.message).toMatch(/expired/);
  });

  it('refuses a token without exp, which would never expire (JWKS and HS256)', async () => {
    const forever = await refusal(verify(await sign(rsa, 'sam', null)));
    expect(forever.code).toBe('unauthorized');
    expect(forever.message).toMatch(/exp/);
    const hs = createVerifier({ jwtSecret: SECRET });
    const secret = { alg: 'HS256', kid: 'x', privateKey: new TextEncoder().encode(SECRET) };
    expect((await hs(await sign(secret, 'sam'))).userId).toBe('sam');
    expect((await refusal(hs(await sign(secret, 'sam', null)))).code).toBe('unauthorized');
  });
});
