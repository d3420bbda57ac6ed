import { createEnvelope, OutboxClaim, OutgoingEvent, TOPICS } from '@microshop/events';

/** The `n`th event of `aggregate`, told apart by its payload's name, for the outbox specs. */
export const numberedEvent = (aggregate: string, n: number): OutgoingEvent => ({
  key: aggregate,
  envelope: createEnvelope(
    TOPICS.USER_REGISTERED,
    {
      userId: aggregate,
      email: `${aggregate}@example.com`,
      name: `event ${n}`,
      registeredAt: new Date().toISOString(),
    },
    { producer: 'spec' },
  ),
});

/** A claim's batches as `<key>:event <n>`, in the order they would be published. */
export const namesOf = (claim: OutboxClaim) =>
  claim.batches.map((b) =>
    b.events.map((e) => `${e.key}:${(e.envelope.payload as { name: string }).name}`),
  );
