import {
  DLT_HEADERS,
  EVENT_CONTRACTS,
  EVENT_ID_HEADER,
  EventEnvelope,
  TOPIC_PRODUCERS,
  TRACE_HEADERS,
  Topic,
  validateEnvelope,
} from '@microshop/events';
import { PAYLOAD_EXAMPLES } from './examples';
import { JsonSchema, schemaRef } from './schemas';

export const KAFKA_BINDING_VERSION = '0.5.0';
export const DEAD_LETTER_MESSAGE = 'deadLetter';

export const EVENT_HEADERS: JsonSchema = {
  type: 'object',
  required: [EVENT_ID_HEADER],
  properties: {
    [EVENT_ID_HEADER]: { type: 'string', format: 'uuid', description: "The envelope's eventId." },
    ...Object.fromEntries(
      TRACE_HEADERS.map((name) => [
        name,
        { type: 'string', description: 'W3C trace context of the write that caused the event.' },
      ]),
    ),
  },
};

const DLT_HEADER_MEANINGS: Record<keyof typeof DLT_HEADERS, string> = {
  error: 'Why the message failed: the error name and message.',
  sourceTopic: 'The topic the message was read from.',
  sourcePartition: 'Its partition there.',
  sourceOffset: 'Its offset there.',
  attempts: 'How many times the consumer tried it.',
  failedAt: 'When it was dead-lettered (ISO 8601).',
  consumerGroup: 'The consumer group that gave up on it.',
};

export const DEAD_LETTER_HEADERS: JsonSchema = {
  type: 'object',
  description: "The original message's headers, plus the diagnosis.",
  required: Object.values(DLT_HEADERS),
  properties: Object.fromEntries(
    Object.entries(DLT_HEADERS).map(([field, name]) => [
      name,
      { type: 'string', description: DLT_HEADER_MEANINGS[field as keyof typeof DLT_HEADERS] },
    ]),
  ),
  additionalProperties: { type: 'string' },
};

/** A fixed envelope around the topic's example payload, checked against the contract. */
function exampleEnvelope<T extends Topic>(topic: T, eventId: string): EventEnvelope<T> {
  const envelope = {
    eventId,
    type: topic,
    version: EVENT_CONTRACTS[topic].version,
    occurredAt: '2026-01-15T10:00:00.000Z',
    producer: TOPIC_PRODUCERS[topic],
    correlationId: eventId,
    causationId: null,
    payload: PAYLOAD_EXAMPLES[topic],
  };
  try {
    return validateEnvelope(topic, envelope);
  } catch (err) {
    throw new Error(`the ${topic} example in scripts/asyncapi/examples.ts breaks its contract`, {
      cause: err,
    });
  }
}

/** The message of one topic: the envelope, narrowed to the topic's type, version and payload. */
export function topicMessage(
  topic: Topic,
  index: number,
  payloadSchemas: Record<string, JsonSchema>,
): JsonSchema {
  const { version, payload, key } = EVENT_CONTRACTS[topic];
  const properties = payloadSchemas[payload.name].properties as Record<string, JsonSchema>;
  const envelope = exampleEnvelope(
    topic,
    `5b1e8c1a-0d4f-4e2b-9a7c-${String(index + 1).padStart(12, '0')}`,
  );
  return {
    name: topic,
    title: `${topic} v${version}`,
    summary: `One ${topic} event: the envelope, with a ${payload.name}.`,
    headers: schemaRef('EventHeaders'),
    payload: {
      allOf: [
        schemaRef('EnvelopeShape'),
        {
          type: 'object',
          properties: {
            type: { const: topic },
            version: { const: version },
            payload: schemaRef(payload.name),
          },
        },
      ],
    },
    bindings: {
      kafka: {
        key: { ...properties[key], description: `payload.${key}` },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    examples: [
      {
        name: topic,
        headers: {
          [EVENT_ID_HEADER]: envelope.eventId,
          [TRACE_HEADERS[0]]: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        },
        payload: envelope,
      },
    ],
  };
}

export const DEAD_LETTER: JsonSchema = {
  name: DEAD_LETTER_MESSAGE,
  title: 'Dead letter',
  summary: 'A message parked by a consumer, as it was read: same key, value and headers.',
  headers: schemaRef('DeadLetterHeaders'),
  payload: {
    description: 'The original value, byte for byte: usually an envelope, maybe not valid JSON.',
  },
  bindings: {
    kafka: {
      key: { type: ['string', 'null'], description: "The original message's key." },
      bindingVersion: KAFKA_BINDING_VERSION,
    },
  },
};
