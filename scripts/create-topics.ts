/**
 * `npm run kafka:topics`: creates every topic and its dead-letter topic, and grants each service
 * its part of the bus (idempotent): it writes and creates only the topics it produces and the
 * dead-letter topics of those it consumes, reads only what it consumes, with its own group.
 */
import { intVar, kafkaAccessEnv, kafkaAccessFrom, loadConfigOrExit } from '@microshop/config';
import {
  ALL_TOPICS,
  deadLetterTopic,
  kafkaConnection,
  TOPIC_CONSUMERS,
  TOPIC_PRODUCERS,
  topicsConsumedBy,
  topicsWrittenBy,
} from '@microshop/events';
import {
  AclOperationTypes,
  Admin,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { z } from 'zod';

const env = loadConfigOrExit(
  z.object({ ...kafkaAccessEnv(), KAFKA_TOPIC_PARTITIONS: intVar(3, 1, 100) }),
  process.env,
);

const SERVICES = [
  ...new Set([...Object.values(TOPIC_PRODUCERS), ...Object.values(TOPIC_CONSUMERS).flat()]),
];

const allow = (
  principal: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  operation: AclOperationTypes,
) => ({
  principal: `User:${principal}`,
  host: '*',
  resourceType,
  resourceName,
  resourcePatternType: ResourcePatternTypes.LITERAL,
  operation,
  permissionType: AclPermissionTypes.ALLOW,
});

/** What each service may do on the bus, and nothing else (the broker denies what no ACL allows). */
const serviceAcls = (service: string) => [
  ...topicsWrittenBy(service).flatMap((topic) => [
    allow(service, AclResourceTypes.TOPIC, topic, AclOperationTypes.WRITE),
    allow(service, AclResourceTypes.TOPIC, topic, AclOperationTypes.CREATE),
  ]),
  ...topicsConsumedBy(service).map((topic) =>
    allow(service, AclResourceTypes.TOPIC, topic, AclOperationTypes.READ),
  ),
  allow(service, AclResourceTypes.GROUP, service, AclOperationTypes.READ),
];

async function main() {
  const access = kafkaAccessFrom(env, 'admin');
  const admin = new Kafka({
    clientId: 'microshop-topics',
    ...kafkaConnection(access),
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
    await growPartitions(admin, topics, env.KAFKA_TOPIC_PARTITIONS);
    if (access.sasl) {
      await admin.createAcls({ acl: SERVICES.flatMap(serviceAcls) });
      console.log(`Granted ${SERVICES.join(', ')} their topics and groups`);
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Topics created with fewer partitions than KAFKA_TOPIC_PARTITIONS get the rest (Kafka cannot take
 * partitions away): more replicas of a consumer can then share the work. New partitions move some
 * keys, so an aggregate's events written just before and just after may be read out of order.
 */
async function growPartitions(admin: Admin, topics: string[], partitions: number) {
  const { topics: existing } = await admin.fetchTopicMetadata({ topics });
  const short = existing.filter((t) => t.partitions.length < partitions);
  if (short.length === 0) return;
  await admin.createPartitions({
    topicPartitions: short.map((t) => ({ topic: t.name, count: partitions })),
  });
  console.log(`Grew ${short.length} topics to ${partitions} partitions`);
}

main().catch((err: Error) => {
  console.error(`Creating Kafka topics failed: ${err.message}`);
  process.exit(1);
});
