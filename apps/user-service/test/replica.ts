import { readFileSync } from 'node:fs';
import * as replicas from '../../../test/support/replica';

export const replicaLog = (port: number) => replicas.replicaLog('user-service', port);

/** Another user-service process; it believes the X-Forwarded-For of local clients (the tests'). */
export const startReplica = (port: number, env: Record<string, string>) =>
  replicas.startReplica('user-service', port, { TRUST_PROXY: 'loopback', ...env });

export const waitForReplica = (port: number) => replicas.waitForReplica('user-service', port);

/** Whether the replica on `port` logged `text` after byte `offset` of its log. */
export const replicaLogged = (port: number, offset: number, text: string) =>
  readFileSync(replicaLog(port)).subarray(offset).toString('utf8').includes(text);
