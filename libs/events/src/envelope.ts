import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';
import { EVENT_CONTRACTS, EventMap } from './event-map';
import { ALL_TOPICS, Topic } from './topics';

/** The one message shape on every topic (docs/contract.md, "Events"). */
export interface EventEnvelope<T extends Topic = Topic> {
  eventId: string;
  type: T;
  version: number;
  occurredAt: string;
  producer: string;
  correlationId: string;
  causationId: string | null;
  payload: EventMap[T];
}

/** The envelope's rules, checked on every message before its payload. */
export class EnvelopeShape {
  @IsUUID() eventId!: string;
  @IsIn(ALL_TOPICS) type!: string;
  @IsInt() @Min(1) version!: number;
  @IsISO8601() occurredAt!: string;
  @IsString() @Length(1, 100) producer!: string;
  @IsString() @Length(1, 100) correlationId!: string;
  @IsOptional() @IsString() @Length(1, 100) causationId!: string | null;
  @IsObject() payload!: object;
}

/** A message that does not satisfy its contract: never retried, always dead-lettered. */
export class InvalidEventError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(details.length ? `${message}: ${details.join('; ')}` : message);
    this.name = 'InvalidEventError';
  }
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * Checks a decoded Kafka value against the envelope and the topic's payload contract.
 * Unknown payload fields are tolerated (tolerant reader: producers may add optional fields
 * without a version bump); a newer major version than this build knows is rejected.
 */
export function validateEnvelope<T extends Topic>(topic: T, value: unknown): EventEnvelope<T> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEventError('message value is not a JSON object');
  }
  const shapeErrors = flatten(validateSync(plainToInstance(EnvelopeShape, value)));
  if (shapeErrors.length) throw new InvalidEventError('invalid envelope', shapeErrors);
  const envelope = value as EventEnvelope<T>;
  if (envelope.type !== topic) {
    throw new InvalidEventError(`envelope type "${envelope.type}" does not match topic "${topic}"`);
  }
  const contract = EVENT_CONTRACTS[topic];
  if (envelope.version > contract.version) {
    throw new InvalidEventError(
      `version ${envelope.version} is newer than the supported ${contract.version}`,
    );
  }
  const payload = plainToInstance(contract.payload as new () => object, envelope.payload);
  const payloadErrors = flatten(validateSync(payload), 'payload');
  if (payloadErrors.length) throw new InvalidEventError('invalid payload', payloadErrors);
  return envelope;
}

export interface EnvelopeOrigin {
  producer: string;
  correlationId?: string;
  causationId?: string | null;
}

/** Builds a validated envelope; invalid payloads fail here, in the producer, not downstream. */
export function createEnvelope<T extends Topic>(
  type: T,
  payload: EventMap[T],
  origin: EnvelopeOrigin,
): EventEnvelope<T> {
  const eventId = randomUUID();
  const envelope: EventEnvelope<T> = {
    eventId,
    type,
    version: EVENT_CONTRACTS[type].version,
    occurredAt: new Date().toISOString(),
    producer: origin.producer,
    correlationId: origin.correlationId ?? eventId,
    causationId: origin.causationId ?? null,
    payload: JSON.parse(JSON.stringify(payload)) as EventMap[T],
  };
  return validateEnvelope(type, envelope);
}
