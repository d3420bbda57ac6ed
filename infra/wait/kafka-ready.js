'use strict';
// One readiness probe for the broker: a metadata round trip (listTopics) through kafkajs, the client the services
// use. Exit 0 = the broker answers. Usage: node infra/wait/kafka-ready.js [host:port] [--print]
// Node starts far faster than a JVM tool, which matters as infra/lib.sh polls this every half second.
const { Kafka, logLevel } = require('kafkajs');

const broker = process.argv.slice(2).find((a) => !a.startsWith('--')) || '127.0.0.1:9092';
setTimeout(() => process.exit(1), 5000).unref(); // never hang the caller

const admin = new Kafka({
  clientId: 'microshop-infra-probe',
  brokers: [broker],
  // The local bus's operator principal (infra/kafka.sh creates it).
  sasl: { mechanism: 'scram-sha-512', username: 'admin', password: 'microshop-dev-admin' },
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 3000,
  retry: { retries: 0 },
}).admin();

admin
  .connect()
  .then(() => admin.listTopics())
  .then(async (topics) => {
    if (process.argv.includes('--print')) console.log(topics.sort().join('\n'));
    await admin.disconnect();
    process.exit(0);
  })
  .catch((err) => {
    console.error(`kafka not ready: ${err.message}`);
    process.exit(1);
  });
