export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the verified access token says. */
export interface AuthUser {
  id: string;
  email: string;
  roles: Role[];
}

/** The claims user-service puts in an access token besides iss, aud, exp, iat and jti. */
export interface AccessTokenClaims {
  sub: string;
  email: string;
  roles: Role[];
}

export const JWT_ALGORITHM = 'ES256';
