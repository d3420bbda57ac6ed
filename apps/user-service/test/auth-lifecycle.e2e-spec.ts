import { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { mongo } from 'mongoose';
import { fromClient, newUser, publishedKey, request, Session } from '@microshop/testing';
import { baseUrl, stopProcess } from '../../../scripts/platform';
import { startReplica, waitForReplica } from './replica';

const users = baseUrl('user-service');

const register = (user: ReturnType<typeof newUser>) =>
  request(users, 'POST', '/auth/register', { body: user, headers: fromClient() });

const login = (email: string, password: string) =>
  request<Session>(users, 'POST', '/auth/login', {
    body: { email, password },
    headers: fromClient(),
  });

const refresh = (refreshToken: string, url = users) =>
  request<Session>(url, 'POST', '/auth/refresh', { body: { refreshToken } });

const me = (token: string) => request(users, 'GET', '/users/me', { token });

describe('register → login → refresh → logout', () => {
  it('walks the whole life cycle', async () => {
    const user = newUser();
    const registered = await register(user);
    expect(registered.status).toBe(201);

    const signedIn = await login(user.email.toUpperCase(), user.password);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 900,
    });

    const profile = await me(signedIn.body.accessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual(registered.body);

    const refreshed = await refresh(signedIn.body.refreshToken);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(signedIn.body.refreshToken);
    expect(refreshed.body.accessToken).not.toBe(signedIn.body.accessToken);
    expect((await me(refreshed.body.accessToken)).body.id).toBe(registered.body.id);

    const loggedOut = await request(users, 'POST', '/auth/logout', {
      body: { refreshToken: refreshed.body.refreshToken },
    });
    expect(loggedOut.status).toBe(204);
    expect(loggedOut.body).toBeUndefined();
    expect((await refresh(refreshed.body.refreshToken)).status).toBe(401);
  });

  it('issues ES256 access tokens with kid, iss, aud, exp, iat, jti and the caller', async () => {
    const user = newUser();
    const { body: profile } = await register(user);
    const { body: session } = await login(user.email, user.password);
    const header = decodeProtectedHeader(session.accessToken);
    expect(header).toEqual({ alg: 'ES256', kid: (await publishedKey()).kid, typ: 'JWT' });
    const claims = decodeJwt(session.accessToken);
    expect(claims).toEqual({
      sub: profile.id,
      email: user.email,
      roles: ['customer'],
      iss: 'microshop-user-service',
      aud: 'microshop',
      iat: expect.any(Number),
      exp: expect.any(Number),
      jti: expect.any(String),
    });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(Math.abs(claims.iat! - Date.now() / 1000)).toBeLessThan(60);
  });

  it('spends a refresh token on use; reusing it revokes the whole family', async () => {
    const user = newUser();
    await register(user);
    const first = (await login(user.email, user.password)).body;
    const second = (await refresh(first.refreshToken)).body;
    const third = (await refresh(second.refreshToken)).body;
    expect(third.refreshToken).toEqual(expect.any(String));

    // A thief replays the first token: refused, and the legitimate newest token dies with it.
    const replay = await refresh(first.refreshToken);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await refresh(third.refreshToken)).status).toBe(401);

    // Another sign-in of the same account is another family, untouched.
    const other = (await login(user.email, user.password)).body;
    expect((await refresh(other.refreshToken)).status).toBe(200);
  });

  it('lets a logout end only its own session', async () => {
    const user = newUser();
    await register(user);
    const laptop = (await login(user.email, user.password)).body;
    const phone = (await login(user.email, user.password)).body;
    const rotated = (await refresh(laptop.refreshToken)).body;
    // Logging out with a token spent earlier in the family still ends the family.
    expect(
      (
        await request(users, 'POST', '/auth/logout', {
          body: { refreshToken: laptop.refreshToken },
        })
      ).status,
    ).toBe(204);
    expect((await refresh(rotated.refreshToken)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(200);
  });

  it('answers an unknown or garbage refresh token with 401, and a missing one with 400', async () => {
    expect((await refresh('x'.repeat(43))).status).toBe(401);
    expect(
      (await request(users, 'POST', '/auth/logout', { body: { refreshToken: 'x'.repeat(43) } }))
        .status,
    ).toBe(204);
    const missing = await request(users, 'POST', '/auth/refresh', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'refreshToken' })]),
    );
  });

  it('gives the same 401 for an unknown email and for a wrong password', async () => {
    const user = newUser();
    await register(user);
    const wrongPassword = await login(user.email, `${user.password}x`);
    const unknownEmail = await login(newUser().email, user.password);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
    expect(wrongPassword.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid email or password',
    });
  });

  describe('with REFRESH_TOKEN_TTL and REFRESH_TOKEN_ABSOLUTE_TTL of an hour', () => {
    const port = 4107;
    const url = `http://127.0.0.1:${port}`;
    let replica: ChildProcess;

    beforeAll(async () => {
      replica = startReplica(port, {
        REFRESH_TOKEN_TTL: '3600',
        REFRESH_TOKEN_ABSOLUTE_TTL: '3600',
      });
      await waitForReplica(port);
    });
    afterAll(() => stopProcess(replica));

    it('never lets a refresh token of a sign-in outlive the hour after it, however often refreshed', async () => {
      const user = newUser();
      await register(user);
      const hour = 3600_000;
      const signingInFrom = Date.now();
      const first = await request<Session>(url, 'POST', '/auth/login', {
        body: { email: user.email, password: user.password },
        headers: fromClient(),
      });
      expect(first.status).toBe(200);
      const signedInAt = Date.now();
      const second = await refresh(first.body.refreshToken, url);
      const third = await refresh(second.body.refreshToken, url);
      expect(third.status).toBe(200);

      const client = await mongo.MongoClient.connect('mongodb://127.0.0.1:27017');
      try {
        const tokens = client.db('microshop_users').collection('refresh_tokens');
        const hash = (token: string) => createHash('sha256').update(token).digest('hex');
        const stored = await Promise.all(
          [first, second, third].map((t) =>
            tokens.findOne({ tokenHash: hash(t.body.refreshToken) }),
          ),
        );
        // Each rotation's REFRESH_TOKEN_TTL from its own time would reach past the sign-in's end.
        const end = stored[0]!.signInExpiresAt as Date;
        expect(end.getTime()).toBeGreaterThanOrEqual(signingInFrom + hour);
        expect(end.getTime()).toBeLessThanOrEqual(signedInAt + hour);
        for (const token of stored) {
          expect(token!.signInExpiresAt).toEqual(end);
          expect(token!.expiresAt).toEqual(end);
        }
      } finally {
        await client.close();
      }
    });
  });
});
