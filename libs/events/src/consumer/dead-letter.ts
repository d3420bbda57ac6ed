import { Injectable } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { EventPublisher } from '../kafka/event-publisher';
import { deadLetterTopic } from '../topics';

export const DLT_HEADERS = {
  error: 'dlt-error',
  sourceTopic: 'dlt-source-topic',
  sourcePartition: 'dlt-source-partition',
  sourceOffset: 'dlt-source-offset',
  attempts: 'dlt-attempts',
  failedAt: 'dlt-failed-at',
  consumerGroup: 'dlt-consumer-group',
} as const;

const encode = (value: unknown): string | Buffer | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value;
  return JSON.stringify(value);
};

/** Parks a message on `<topic>.dlt` with why and where it failed, keeping its key and headers. */
@Injectable()
export class DeadLetterPublisher {
  constructor(private readonly publisher: EventPublisher) {}

  async deadLetter(
    context: KafkaContext,
    error: Error,
    attempts: number,
    group: string,
  ): Promise<void> {
    const message = context.getMessage();
    const original: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined && !name.startsWith('dlt-')) original[name] = String(value);
    }
    await this.publisher.sendRaw(deadLetterTopic(context.getTopic()), [
      {
        key: encode(message.key),
        value: encode(message.value),
        headers: {
          ...original,
          [DLT_HEADERS.error]: `${error.name}: ${error.message}`.slice(0, 4_000),
          [DLT_HEADERS.sourceTopic]: context.getTopic(),
          [DLT_HEADERS.sourcePartition]: String(context.getPartition()),
          [DLT_HEADERS.sourceOffset]: message.offset,
          [DLT_HEADERS.attempts]: String(attempts),
          [DLT_HEADERS.failedAt]: new Date().toISOString(),
          [DLT_HEADERS.consumerGroup]: group,
        },
      },
    ]);
  }
}
