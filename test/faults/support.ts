import { mailsTo, newUser, ReceivedMessage, request } from '@microshop/testing';
import { mongo } from 'mongoose';
import { baseUrl } from '../../scripts/platform';

export const users = baseUrl('user-service');

/** Registers a user and returns its id and email; fails the test on anything but 201. */
export async function register(): Promise<{ id: string; email: string }> {
  const user = newUser();
  const res = await request(users, 'POST', '/auth/register', { body: user });
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
