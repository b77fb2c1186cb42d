/**
 * JWT auth with jose. The CRM signs tokens for its users: HS256 with a shared secret, or any
 * asymmetric key published at a JWKS URL. `sub` is the desk user id; `exp` is required and
 * honoured (a token without it would never expire; an open event stream ends when its token
 * expires). In demo mode the server issues tokens itself.
 */
import {
  SignJWT,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { DeskError } from '../errors.js';
import type { UserId } from '../types.js';

export interface AuthConfig {
  /** HS256 shared secret (at least 32 characters). */
  jwtSecret?: string;
  /** The CRM's JWKS URL (RS256, ES256, EdDSA…). */
  jwksUrl?: string;
  /** Required `iss`, when set. */
  issuer?: string;
  /** Required `aud`, when set. */
  audience?: string;
}

export interface Identity {
  userId: UserId;
  /** Epoch ms (`exp`, which every token must carry). */
  expiresAt?: number;
}

export type Verifier = (token: string) => Promise<Identity>;

export function createVerifier(config: AuthConfig): Verifier {
  const key: Uint8Array | JWTVerifyGetKey | undefined = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : config.jwtSecret
      ? secretKey(config.jwtSecret)
      : undefined;
  if (!key) throw new Error('Auth needs DESK_JWT_SECRET or DESK_JWKS_URL.');
  const options = {
    ...(config.issuer && { issuer: config.issuer }),
    ...(config.audience && { audience: config.audience }),
    ...(!config.jwksUrl && { algorithms: ['HS256'] }),
    requiredClaims: ['exp', 'sub'],
  };
  return async (token) => {
    try {
      const { payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options);
      if (typeof payload.sub !== 'string' || !payload.sub) {
        throw new DeskError('unauthorized', 'The token names no user (sub).');
      }
      return {
        userId: payload.sub,
        ...(payload.exp !== undefined && { expiresAt: payload.exp * 1000 }),
      };
    } catch (error) {
      if (error instanceof DeskError) throw error;
      throw new DeskError('unauthorized', reasonOf(error), { cause: error });
    }
  };
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === 'missing')
    return `The token has no \`${error.claim}\` claim.`;
  return 'The token is not valid.';
}

/** Signs an HS256 token for `userId`, as a CRM would (and the demo token issuer does). */
export async function signToken(
  secret: string,
  userId: UserId,
  options: { ttlSeconds?: number; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 3600}s`);
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secretKey(secret));
}

function secretKey(secret: string): Uint8Array {
  if (secret.length < 32) throw new Error('The JWT secret must have at least 32 characters.');
  return new TextEncoder().encode(secret);
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
