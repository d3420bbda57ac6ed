/**
 * `npm run dlt:replay -- <topic> [--only <partition>:<offset>] [--value-file <file>] [--dry-run]`
 *
 * Puts dead-lettered messages of `<topic>.dlt` back on `<topic>` once the cause is fixed, with their
 * original key and headers (the `dlt-*` diagnosis headers are dropped, `dlt-replayed-from` added).
 * Without `--only`, replays everything not replayed before: progress is kept as the committed
 * offsets of consumer group `microshop-dlt-replay.<topic>`. With `--only`, replays that one
 * message, optionally with its value replaced by the content of `--value-file` (a corrected
 * message). Consumers deduplicate by eventId, so replaying twice changes nothing.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigOrExit, operatorKafkaEnv } from '@microshop/config';
import { deadLetterTopic, isTopic, kafkaConnection } from '@microshop/events';
import { IHeaders, Kafka, KafkaMessage, logLevel } from 'kafkajs';

const access = loadConfigOrExit(operatorKafkaEnv, process.env);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    'value-file': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`dlt:replay: ${message}`);
  process.exit(2);
}

const topic =
  positionals[0] ?? fail('name the source topic, e.g. npm run dlt:replay -- user.registered');
if (!isTopic(topic)) fail(`unknown topic "${topic}"`);
if (values['value-file'] && !values.only) fail('--value-file needs --only <partition>:<offset>');
const only =
  values.only?.match(/^(\d+):(\d+)$/) ??
  (values.only ? fail('--only takes <partition>:<offset>') : null);
const replacement = values['value-file'] ? readFileSync(values['value-file']) : null;

const dlt = deadLetterTopic(topic);
const kafka = new Kafka({
  clientId: 'microshop-dlt-replay',
  ...kafkaConnection(access),
  logLevel: logLevel.ERROR,
});

function replayHeaders(message: KafkaMessage, partition: number): IHeaders {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!name.startsWith('dlt-') && value !== undefined) headers[name] = value;
  }
  headers['dlt-replayed-from'] = `${dlt}/${partition}/${message.offset}`;
  return headers;
}

async function main() {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(dlt);
  await admin.disconnect();
  const pending = new Map(
    ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]),
  );

  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({
    groupId: only ? `microshop-dlt-replay.${topic}.${Date.now()}` : `microshop-dlt-replay.${topic}`,
    maxWaitTimeInMs: 200,
  });
  await producer.connect();
  await consumer.connect();
  let replayed = 0;
  try {
    await consumer.subscribe({ topic: dlt, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const finish = () => (pending.size === 0 ? resolve() : undefined);
      finish();
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = pending.get(partition);
            if (end === undefined) return;
            const wanted = !only || (Number(only[1]) === partition && only[2] === message.offset);
            if (wanted) {
              const value = replacement ?? message.value;
              if (values['dry-run'])
                console.log(`would replay ${dlt}/${partition}/${message.offset}`);
              else
                await producer.send({
                  topic,
                  messages: [
                    { key: message.key, value, headers: replayHeaders(message, partition) },
                  ],
                });
              replayed += 1;
            }
            const next = (BigInt(message.offset) + 1n).toString();
            // Committed per message, so an interrupted replay resumes where it stopped.
            if (!only && !values['dry-run'])
              await consumer.commitOffsets([{ topic: dlt, partition, offset: next }]);
            if (BigInt(next) >= end) {
              pending.delete(partition);
              finish();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
  console.log(
    `${values['dry-run'] ? 'Would replay' : 'Replayed'} ${replayed} message(s) from ${dlt} to ${topic}`,
  );
  if (only && replayed === 0) fail(`no message at ${dlt} ${values.only}`);
}

main().catch((err: Error) => fail(err.message));
