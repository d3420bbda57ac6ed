import { createEnvelope, InvalidEventError, validateEnvelope } from './envelope';
import { TOPICS } from './topics';

const payload = {
  userId: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  registeredAt: '2026-01-01T00:00:00.000Z',
};

describe('event envelopes', () => {
  it('creates a valid envelope with a fresh id, the contract version and its own correlation', () => {
    const envelope = createEnvelope(TOPICS.USER_REGISTERED, payload, { producer: 'user-service' });
    expect(envelope).toMatchObject({
      type: 'user.registered',
      version: 1,
      producer: 'user-service',
      payload,
    });
    expect(envelope.correlationId).toBe(envelope.eventId);
    expect(envelope.causationId).toBeNull();
  });

  it('refuses to create an event whose payload breaks the contract', () => {
    expect(() =>
      createEnvelope(
        TOPICS.USER_REGISTERED,
        { ...payload, email: 'nope' },
        { producer: 'user-service' },
      ),
    ).toThrow(/payload.email/);
  });

  it('rejects a value that is not an envelope, one for another topic, and a newer version', () => {
    const good = createEnvelope(TOPICS.USER_REGISTERED, payload, { producer: 'x' });
    expect(() => validateEnvelope(TOPICS.USER_REGISTERED, 'garbage')).toThrow(InvalidEventError);
    expect(() => validateEnvelope(TOPICS.USER_DELETED, good)).toThrow(/does not match topic/);
    expect(() => validateEnvelope(TOPICS.USER_REGISTERED, { ...good, version: 2 })).toThrow(
      /newer/,
    );
  });

  it('tolerates unknown payload fields (tolerant reader)', () => {
    const good = createEnvelope(TOPICS.USER_REGISTERED, payload, { producer: 'x' });
    const extended = { ...good, payload: { ...good.payload, locale: 'en' } };
    expect(validateEnvelope(TOPICS.USER_REGISTERED, extended)).toBe(extended);
  });

  it('takes an order event only with an email address as its customerEmail', () => {
    const order = {
      orderId: '7f0c2b8e-3c1a-4f7e-9d2a-5b6c7d8e9f01',
      userId: 'u1',
      customerEmail: 'ada@example.com',
      items: [
        {
          productId: 'p1',
          sku: 'S1',
          name: 'Mug',
          unitPriceCents: 5,
          quantity: 1,
          lineTotalCents: 5,
        },
      ],
      totalCents: 5,
      currency: 'USD',
      createdAt: '2026-01-01T00:00:00.000Z',
    };
    const good = createEnvelope(TOPICS.ORDER_CREATED, order, { producer: 'order-service' });
    const forged = { ...good, payload: { ...order, customerEmail: 'victim@example.com, x@y.z' } };
    expect(() => validateEnvelope(TOPICS.ORDER_CREATED, forged)).toThrow(/payload.customerEmail/);
  });
});
