'use strict';
// The client half of deploy/kafka-smoke/run.sh: kafkajs (the services' client) against the broker
// at KAFKA_SMOKE_BROKER, TLS with the CA at KAFKA_SMOKE_CA, passwords from the
// MICROSHOP_KAFKA_PASSWORD_* variables the broker was started with. Exit 1 on the first failure.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Kafka, logLevel } = require('kafkajs');

const broker = process.env.KAFKA_SMOKE_BROKER; // host:port[,host:port...]
const replicas = Number(process.env.KAFKA_SMOKE_RF || 1);
const ca = fs.readFileSync(process.env.KAFKA_SMOKE_CA, 'utf8');
const passwordOf = (p) =>
  process.env[`MICROSHOP_KAFKA_PASSWORD_${p.toUpperCase().replace(/-/g, '_')}`];
const root = path.resolve(__dirname, '../..');

const client = (opts) =>
  new Kafka({
    clientId: 'microshop-kafka-smoke',
    brokers: broker.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
    ...opts,
  });
const as = (username, password = passwordOf(username)) =>
  client({ ssl: { ca: [ca] }, sasl: { mechanism: 'scram-sha-512', username, password } });

async function refused(what, kafka, pattern) {
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (err) {
    if (pattern && !pattern.test(`${err.name} ${err.message}`)) {
      throw new Error(`${what}: refused, but not as expected: ${err.name} ${err.message}`);
    }
    console.log(`ok   ${what}: refused (${err.name}: ${err.message.slice(0, 90)})`);
    return;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  throw new Error(`${what}: was let in`);
}

async function produce(kafka, topic) {
  const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ value: 'kafka-smoke' }] });
  } finally {
    await producer.disconnect();
  }
}

async function main() {
  // create-topics (npm run kafka:topics) as admin: the topics and every service's ACLs
  // A cluster that has just formed may still answer "does not host this topic-partition" (the
  // chart's Job retries with its backoff): three attempts.
  const createTopics = () => {
    return execFileSync(
      process.execPath,
      // KAFKA_SMOKE_TOPICS: a built create-topics (the image's dist/tools/create-topics.js) instead
      process.env.KAFKA_SMOKE_TOPICS
        ? [process.env.KAFKA_SMOKE_TOPICS]
        : [
            '-r',
            'ts-node/register/transpile-only',
            '-r',
            'tsconfig-paths/register',
            'scripts/create-topics.ts',
          ],
      {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          TS_NODE_PROJECT: path.join(root, 'tsconfig.json'),
          KAFKA_BROKERS: broker,
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_PASSWORD: passwordOf('admin'),
          KAFKA_SSL: 'true',
          KAFKA_SSL_CA_FILE: process.env.KAFKA_SMOKE_CA,
          KAFKA_TOPIC_PARTITIONS: '2',
        },
      },
    );
  };
  let out;
  for (let attempt = 1; ; attempt++) {
    try {
      out = createTopics();
      break;
    } catch (err) {
      if (attempt === 3) throw err;
      console.log(
        `..   create-topics attempt ${attempt} failed, retrying: ${String(err.stdout || err.message).trim()}`,
      );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  if (!/Granted .*notification-service/.test(out)) throw new Error(`create-topics: ${out}`);
  console.log(`ok   create-topics as admin over SASL_SSL: ${out.trim().replace(/\n/g, '; ')}`);

  // the ACLs reach the broker's metadata a moment after createAcls returns
  let topics = [];
  for (let i = 0; i < 20 && !topics.includes('order.created'); i++) {
    if (i) await new Promise((r) => setTimeout(r, 250));
    const admin = as('order-service').admin();
    await admin.connect();
    try {
      topics = await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }
  if (
    !topics.includes('order.created') ||
    !topics.includes('stock.reserved.dlt') ||
    topics.includes('user.registered')
  ) {
    throw new Error(
      `order-service should see order.created and stock.reserved.dlt, not user.registered: ${topics.join(',')}`,
    );
  }
  console.log(
    `ok   order-service authenticated over SASL_SSL with the CA; sees only its ${topics.length} topics`,
  );

  // replication runs between the nodes over the SASL_SSL listener as admin: every replica in sync
  {
    const admin = as('admin').admin();
    await admin.connect();
    try {
      for (let i = 0; ; i++) {
        const { topics: meta } = await admin.fetchTopicMetadata({ topics: ['order.created'] });
        const isr = meta[0].partitions.map((p) => p.isr.length);
        if (
          meta[0].partitions.every(
            (p) => p.replicas.length === replicas && p.isr.length === replicas,
          )
        ) {
          console.log(
            `ok   order.created: ${isr.length} partition(s), ${replicas} replica(s) each, all in sync`,
          );
          break;
        }
        if (i === 40) throw new Error(`order.created replicas out of sync: isr sizes ${isr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      await admin.disconnect();
    }
  }
  // each node learns the new ACLs from the metadata log on its own: a few tries
  for (let i = 0; ; i++) {
    try {
      await produce(as('order-service'), 'order.created');
      break;
    } catch (err) {
      if (i === 20 || !/not authorized/i.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  console.log('ok   order-service writes order.created (its own topic)');
  try {
    await produce(as('order-service'), 'user.registered');
    throw new Error('order-service could write user.registered');
  } catch (err) {
    if (!/not authorized|authorization/i.test(err.message)) throw err;
    console.log(`ok   order-service may not write user.registered (${err.message.slice(0, 60)})`);
  }
  const consumer = as('notification-service').consumer({ groupId: 'notification-service' });
  await consumer.connect();
  await consumer.subscribe({ topics: ['order.confirmed'], fromBeginning: true });
  await consumer.disconnect();
  console.log('ok   notification-service subscribes to order.confirmed in its own group');

  await refused('no SASL (TLS only)', client({ ssl: { ca: [ca] } }));
  await refused('wrong password', as('user-service', 'not-the-password'), /SASL|authentic/i);
  await refused('unknown principal', as('mallory', 'x'), /SASL|authentic/i);
  await refused(
    'no TLS (SASL over plaintext)',
    client({
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: passwordOf('admin') },
    }),
  );
  await refused(
    'TLS without the CA',
    client({
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'admin', password: passwordOf('admin') },
    }),
    /certificate|self.signed|verify/i,
  );
  console.log('kafka-smoke: SASL_SSL broker, create-topics ACLs and refusals as expected');
}

main().catch((err) => {
  console.error(`FAIL ${err.message}`);
  process.exit(1);
});
