import { randomUUID } from 'node:crypto';
import { statSync, existsSync } from 'node:fs';
import {
  fromClient,
  login,
  loginAsAdmin,
  newUser,
  request,
  USER_SERVICE_URL as users,
  waitFor,
} from '@microshop/testing';
import { stopProcess } from '../../../scripts/platform';
import { replicaLog, replicaLogged, startReplica, waitForReplica } from './replica';

const NOT_PROMOTED = 'is not promoted at boot';
const logSize = (port: number) =>
  existsSync(replicaLog(port)) ? statSync(replicaLog(port)).size : 0;

const rolesOf = async (email: string, password: string) => {
  const { accessToken } = await login(email, password);
  const me = await request<{ id: string; roles: string[] }>(users, 'GET', '/users/me', {
    token: accessToken,
  });
  expect(me.status).toBe(200);
  return me.body;
};

/** Boots a replica with ADMIN_EMAIL/ADMIN_PASSWORD and waits until it logs `outcome`. */
async function bootReplica(
  port: number,
  admin: { email: string; password: string },
  outcome: string,
) {
  const offset = logSize(port);
  const replica = startReplica(port, { ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
  await waitForReplica(port);
  await waitFor(
    () => Promise.resolve(replicaLogged(port, offset, outcome)),
    (logged) => logged,
    { what: `the replica on ${port} to log "${outcome}"` },
  );
  return replica;
}

const removeAccount = async (id: string) => {
  const { accessToken } = await loginAsAdmin();
  expect((await request(users, 'DELETE', `/users/${id}`, { token: accessToken })).status).toBe(204);
};

describe('the admin account from ADMIN_EMAIL at boot', () => {
  it('is created when no account has the address; an account that has it is never made admin', async () => {
    // Someone registers the address an operator is about to configure as ADMIN_EMAIL.
    const squatter = newUser();
    const registered = await request(users, 'POST', '/auth/register', {
      body: squatter,
      headers: fromClient(),
    });
    expect(registered.status).toBe(201);
    const fresh = { email: newUser().email, password: randomUUID() };

    const [squattedPort, freshPort] = [4103, 4104];
    const offsets = [logSize(squattedPort), logSize(freshPort)];
    const replicas = [
      startReplica(squattedPort, { ADMIN_EMAIL: squatter.email, ADMIN_PASSWORD: randomUUID() }),
      startReplica(freshPort, { ADMIN_EMAIL: fresh.email, ADMIN_PASSWORD: fresh.password }),
    ];
    try {
      await Promise.all([waitForReplica(squattedPort), waitForReplica(freshPort)]);
      await waitFor(
        () => Promise.resolve(replicaLogged(squattedPort, offsets[0], NOT_PROMOTED)),
        (logged) => logged,
        { what: `the replica on ${squattedPort} to refuse promoting ${squatter.email}` },
      );
      await waitFor(
        () =>
          Promise.resolve(
            replicaLogged(freshPort, offsets[1], `Admin account ${fresh.email}: created`),
          ),
        (logged) => logged,
        { what: `the replica on ${freshPort} to create ${fresh.email}` },
      );

      expect((await rolesOf(squatter.email, squatter.password)).roles).toEqual(['customer']);
      const created = await rolesOf(fresh.email, fresh.password);
      expect(created.roles).toContain('admin');

      await removeAccount(created.id);
    } finally {
      await Promise.all(replicas.map((replica) => stopProcess(replica)));
    }
  });

  it('takes a changed ADMIN_PASSWORD at the next boot, and ends the sessions of the old one', async () => {
    const port = 4106;
    const first = { email: newUser().email, password: randomUUID() };
    const changed = { ...first, password: randomUUID() };
    await stopProcess(await bootReplica(port, first, `Admin account ${first.email}: created`));
    const before = await request<{ refreshToken: string }>(users, 'POST', '/auth/login', {
      body: first,
      headers: fromClient(),
    });
    expect(before.status).toBe(200);

    const replica = await bootReplica(
      port,
      changed,
      `Admin account ${first.email}: password-changed`,
    );
    try {
      const signIn = (password: string) =>
        request(users, 'POST', '/auth/login', {
          body: { email: first.email, password },
          headers: fromClient(),
        });
      expect((await signIn(first.password)).status).toBe(401);
      expect((await signIn(changed.password)).status).toBe(200);
      const refresh = await request(users, 'POST', '/auth/refresh', {
        body: { refreshToken: before.body.refreshToken },
      });
      expect(refresh.status).toBe(401);
      await removeAccount((await rolesOf(changed.email, changed.password)).id);
    } finally {
      await stopProcess(replica);
    }
  });
});
