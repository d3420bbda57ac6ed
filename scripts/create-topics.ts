/** `npm run kafka:topics`: creates every topic and its dead-letter topic (idempotent). */
import { brokersVar, intVar, loadConfigOrExit } from '@microshop/config';
import { ALL_TOPICS, deadLetterTopic } from '@microshop/events';
import { Kafka, logLevel } from 'kafkajs';
import { z } from 'zod';

const env = loadConfigOrExit(
  z.object({ KAFKA_BROKERS: brokersVar(), KAFKA_TOPIC_PARTITIONS: intVar(3, 1, 100) }),
  process.env,
);

async function main() {
  const admin = new Kafka({
    clientId: 'microshop-topics',
    brokers: env.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = ALL_TOPICS.flatMap((t) => [t, deadLetterTopic(t)]);
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions: env.KAFKA_TOPIC_PARTITIONS })),
    });
    console.log(created ? `Created ${topics.length} topics` : 'Kafka topics already exist');
  } finally {
    await admin.disconnect();
  }
}

main().catch((err: Error) => {
  console.error(`Creating Kafka topics failed: ${err.message}`);
  process.exit(1);
});
