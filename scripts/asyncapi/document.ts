import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALL_TOPICS,
  EVENT_CONTRACTS,
  EnvelopeShape,
  TOPIC_CONSUMERS,
  TOPIC_PRODUCERS,
  Topic,
  deadLetterTopic,
} from '@microshop/events';
import { stringify } from 'yaml';
import { ROOT } from '../platform';
import {
  DEAD_LETTER,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_MESSAGE,
  EVENT_HEADERS,
  KAFKA_BINDING_VERSION,
  topicMessage,
} from './messages';
import { JsonSchema, classSchemas } from './schemas';

export const ASYNCAPI_FILE = join(ROOT, 'docs', 'asyncapi.yaml');

type Action = 'send' | 'receive';

export const operationId = (service: string, action: Action, channel: string): string =>
  `${service}.${action}.${channel}`;

const listed = (services: readonly string[]) => services.join(', ') || 'no service yet';

function operation(service: string, action: Action, channel: string, message: string): JsonSchema {
  return {
    action,
    channel: { $ref: `#/channels/${channel}` },
    messages: [{ $ref: `#/channels/${channel}/messages/${message}` }],
    summary: `${service} ${action === 'send' ? 'writes' : 'reads'} ${channel}.`,
    tags: [{ name: service }],
    // Each service consumes in the group named after it (libs/events/src/kafka/kafka-options.ts).
    ...(action === 'receive' && {
      bindings: {
        kafka: {
          groupId: { type: 'string', enum: [service] },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    }),
  };
}

function topicEntries(topic: Topic) {
  const producer = TOPIC_PRODUCERS[topic];
  const consumers = TOPIC_CONSUMERS[topic];
  const { key, version } = EVENT_CONTRACTS[topic];
  const dlt = deadLetterTopic(topic);
  const channels = {
    [topic]: {
      address: topic,
      description: `Written by ${producer} (through its outbox), read by ${listed(consumers)}. Key: payload.${key}. Envelope version ${version}.`,
      messages: { [topic]: { $ref: `#/components/messages/${topic}` } },
    },
    [dlt]: {
      address: dlt,
      description: `Dead letters of ${topic}, written by its consumers (${listed(consumers)}) for a message that fails validation or keeps failing. \`npm run dlt:replay -- ${topic}\` puts them back on ${topic}.`,
      messages: { [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` } },
    },
  };
  const operations = [
    [operationId(producer, 'send', topic), operation(producer, 'send', topic, topic)],
    ...consumers.flatMap((consumer) => [
      [operationId(consumer, 'receive', topic), operation(consumer, 'receive', topic, topic)],
      [operationId(consumer, 'send', dlt), operation(consumer, 'send', dlt, DEAD_LETTER_MESSAGE)],
    ]),
  ];
  return { channels, operations: Object.fromEntries(operations) as Record<string, JsonSchema> };
}

/** The AsyncAPI 3 document of every topic and its dead-letter topic, from libs/events. */
export function asyncApiDocument(): JsonSchema {
  const schemas = classSchemas([
    EnvelopeShape,
    ...ALL_TOPICS.map((t) => EVENT_CONTRACTS[t].payload),
  ]);
  const entries = ALL_TOPICS.map(topicEntries);
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'MicroShop events',
      version,
      description: [
        'Every Kafka topic of MicroShop, who writes and reads it, and its messages.',
        "A message value is one JSON envelope; its payload is checked against the topic's contract on publish and on consume, and unknown payload fields are tolerated.",
        "The key is the aggregate's id, so one aggregate's events stay in order on one partition.",
        'A message that cannot be processed is parked on `<topic>.dlt`, never dropped.',
        'Generated from libs/events by `npm run asyncapi`.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    channels: Object.assign({}, ...entries.map((e) => e.channels)) as JsonSchema,
    operations: Object.assign({}, ...entries.map((e) => e.operations)) as JsonSchema,
    components: {
      schemas: { ...schemas, EventHeaders: EVENT_HEADERS, DeadLetterHeaders: DEAD_LETTER_HEADERS },
      messages: {
        ...Object.fromEntries(ALL_TOPICS.map((t, i) => [t, topicMessage(t, i, schemas)])),
        [DEAD_LETTER_MESSAGE]: DEAD_LETTER,
      },
    },
  };
}

/** The document as committed in docs/asyncapi.yaml. */
export const renderAsyncApi = (document: JsonSchema = asyncApiDocument()): string =>
  '# Generated from libs/events by `npm run asyncapi`: change the contracts, not this file.\n' +
  stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
