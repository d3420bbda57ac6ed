import { devKafkaPassword } from '@microshop/config';
import { TOPICS } from '@microshop/events';
import { Kafka, logLevel } from 'kafkajs';

/** A client of the local bus as `username` (unauthenticated without one), failing fast. */
const client = (username?: string, password = username && devKafkaPassword(username)) =>
  new Kafka({
    clientId: `acl-spec-${username ?? 'anonymous'}`,
    brokers: ['127.0.0.1:9092'],
    ...(username && {
      sasl: { mechanism: 'scram-sha-512' as const, username, password: password! },
    }),
    connectionTimeout: 2_000,
    // One retry: the admin client's first request may find its broker pool still empty.
    retry: { retries: 1 },
    logLevel: logLevel.NOTHING,
  });

const send = async (kafka: Kafka, topic: string) => {
  const producer = kafka.producer({ retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key: 'acl-spec', value: '{}' }] });
  } finally {
    await producer.disconnect();
  }
};

describe('the bus lets each service only where it belongs', () => {
  it('refuses a client without credentials, and one with a wrong password', async () => {
    await expect(send(client(), TOPICS.ORDER_CREATED)).rejects.toThrow();
    await expect(
      send(client('order-service', 'not its password'), TOPICS.ORDER_CREATED),
    ).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/);
  });

  it("refuses a service's principal writing another service's topic", async () => {
    await expect(send(client('product-service'), TOPICS.ORDER_CREATED)).rejects.toThrow(
      /authoriz/i,
    );
    await expect(send(client('notification-service'), TOPICS.PRODUCT_UPDATED)).rejects.toThrow(
      /authoriz/i,
    );
  });

  it("refuses a service's principal the consumer group of another", async () => {
    const offsetsOf = async (groupId: string, topic: string) => {
      const admin = client('product-service').admin();
      await admin.connect();
      try {
        return await admin.fetchOffsets({ groupId, topics: [topic] });
      } finally {
        await admin.disconnect();
      }
    };
    // Its own group answers; order-service's does not (the broker denies finding its coordinator).
    expect(await offsetsOf('product-service', TOPICS.ORDER_CREATED)).toHaveLength(1);
    await expect(offsetsOf('order-service', TOPICS.STOCK_RESERVED)).rejects.toThrow();
  });

  it("lets a service's principal write its own topics and the dead-letter topics of what it consumes", async () => {
    await expect(send(client('order-service'), TOPICS.ORDER_CREATED)).resolves.toBeUndefined();
    await expect(
      send(client('notification-service'), `${TOPICS.ORDER_CONFIRMED}.dlt`),
    ).resolves.toBeUndefined();
  });
});
