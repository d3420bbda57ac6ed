import { deadLetterTopic, TOPICS } from '@microshop/events';
import { produce, request, testKafka, waitFor } from '@microshop/testing';
import { baseUrl, restartApp } from '../../scripts/platform';

const notifications = baseUrl('notification-service');
const dlt = deadLetterTopic(TOPICS.USER_REGISTERED);

async function recreateDeadLetterTopic(): Promise<void> {
  const admin = testKafka.admin();
  await admin.connect();
  try {
    await waitFor(
      () =>
        admin
          .createTopics({ topics: [{ topic: dlt, numPartitions: 3 }], waitForLeaders: true })
          .catch(() => false),
      () => true,
    );
    await waitFor(
      () => admin.listTopics(),
      (topics) => topics.includes(dlt),
      { what: `${dlt} to exist` },
    );
  } finally {
    await admin.disconnect();
  }
}

describe('a Kafka consumer that crashes for good', () => {
  afterAll(async () => {
    await recreateDeadLetterTopic();
    await restartApp('notification-service');
  });

  it('turns /health/live to 503 so the orchestrator restarts the process', async () => {
    // No restarts and few retries, so the crash shows within seconds rather than minutes.
    await restartApp('notification-service', {
      KAFKA_CONSUMER_MAX_RESTARTS: '0',
      KAFKA_RETRIES: '1',
    });
    expect((await request(notifications, 'GET', '/health/live')).status).toBe(200);

    // A poison message that cannot even be dead-lettered (its DLT is gone) fails the handler for good.
    const admin = testKafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [dlt] });
    await admin.disconnect();
    await produce(TOPICS.USER_REGISTERED, [{ key: 'crash', value: 'not json at all' }]);

    const live = await waitFor(
      () => request(notifications, 'GET', '/health/live'),
      (r) => r.status === 503,
      {
        what: 'liveness to fail',
        timeoutMs: 120_000,
        intervalMs: 1_000,
      },
    );
    expect(live.body.error.kafkaConsumer.message).toMatch(/crashed/);
  });
});
