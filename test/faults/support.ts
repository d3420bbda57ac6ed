import { fromClient, mailsTo, newUser, ReceivedMessage, request } from '@microshop/testing';
import { mongo } from 'mongoose';
import { DataSource } from 'typeorm';
import { baseUrl } from '../../scripts/platform';

export const users = baseUrl('user-service');

/**
 * Registers a user (from a client address of its own, as each shopper has: registration is
 * throttled per address) and returns its id and email; fails the test on anything but 201.
 */
export async function register(): Promise<{ id: string; email: string }> {
  const user = newUser();
  const res = await request(users, 'POST', '/auth/register', { body: user, headers: fromClient() });
  if (res.status !== 201)
    throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, email: user.email };
}

/** userIds of the user.registered envelopes among `messages`. */
export const registeredUserIds = (messages: ReceivedMessage[]): string[] =>
  messages.map(
    (m) => (JSON.parse(m.value ?? '{}') as { payload: { userId: string } }).payload.userId,
  );

export const countBy = <T>(items: T[]): Map<T, number> => {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

export async function mailCounts(emails: string[]): Promise<number[]> {
  return Promise.all(emails.map(async (email) => (await mailsTo(email)).length));
}

/** Documents still holding unpublished events, straight from the store. */
export async function pendingOutboxDocuments(
  database: string,
  collection: string,
): Promise<number> {
  const client = await mongo.MongoClient.connect('mongodb://127.0.0.1:27017');
  try {
    return await client
      .db(database)
      .collection(collection)
      .countDocuments({ outboxPendingSince: { $exists: true } });
  } finally {
    await client.close();
  }
}

/** The payload of every envelope among `messages`. */
export const payloadsOf = <T>(messages: ReceivedMessage[]): T[] =>
  messages.map((m) => (JSON.parse(m.value ?? '{}') as { payload: T }).payload);

/** Events still waiting in order-service's outbox, straight from MySQL. */
export async function pendingOrderOutboxRows(): Promise<number> {
  const db = await new DataSource({
    type: 'mysql',
    url: 'mysql://root:@127.0.0.1:3306/microshop_orders',
  }).initialize();
  try {
    const [row] = await db.query<{ n: number | string }[]>('SELECT COUNT(*) AS n FROM outbox');
    return Number(row?.n ?? 0);
  } finally {
    await db.destroy();
  }
}
