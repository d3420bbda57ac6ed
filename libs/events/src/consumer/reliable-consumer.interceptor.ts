import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { context as otelContext, SpanStatusCode, trace } from '@opentelemetry/api';
import { catchError, defer, finalize, from, Observable, retry, tap, throwError, timer } from 'rxjs';
import { InvalidEventError, validateEnvelope } from '../envelope';
import { runInEventContext } from '../event-context';
import { KAFKA_SETTINGS, KafkaSettings } from '../kafka/kafka-settings';
import { isTopic, TOPIC_PRODUCERS } from '../topics';
import { eventsTracer } from '../tracing/trace-context';
import { DeadLetterPublisher } from './dead-letter';
import { KafkaMessageMetrics } from '../kafka/message-metrics';
import { backoffDelay } from '../backoff';
import { DEFAULT_RETRY_POLICY, PermanentEventError } from './retry-policy';

const isPermanent = (err: unknown) =>
  err instanceof InvalidEventError || err instanceof PermanentEventError;

/**
 * Wraps every `@OnEvent` handler: validates the envelope against the topic's contract, runs the
 * handler in the event's correlation context and in a `handle <topic>` span per attempt (under
 * the Kafka consumer span, itself a child of the producer's), retries transient failures with backoff, and
 * dead-letters what still fails. The observable completes only once the message was handled or
 * parked, so Kafka commits the offset exactly then; if even the dead-letter publish fails, the
 * error propagates and the offset stays uncommitted.
 */
@Injectable()
export class ReliableConsumerInterceptor implements NestInterceptor {
  private readonly logger = new Logger('EventConsumer');

  constructor(
    private readonly deadLetters: DeadLetterPublisher,
    private readonly metrics: KafkaMessageMetrics,
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const kafka = rpc.getContext<KafkaContext>();
    const topic = kafka.getTopic();
    const policy = DEFAULT_RETRY_POLICY;
    let attempts = 0;

    // Retries resubscribe from timers: each attempt's span hangs under the consumer span.
    const parentContext = otelContext.active();

    let eventContext: { correlationId: string; causationId: string };
    try {
      if (!isTopic(topic)) throw new InvalidEventError(`unknown topic ${topic}`);
      const envelope = validateEnvelope(topic, rpc.getData());
      if (envelope.producer !== TOPIC_PRODUCERS[topic]) {
        throw new InvalidEventError(
          `producer "${envelope.producer}" does not publish ${topic} (${TOPIC_PRODUCERS[topic]} does)`,
        );
      }
      eventContext = { correlationId: envelope.correlationId, causationId: envelope.eventId };
    } catch (err) {
      return this.park(kafka, err as Error, 0);
    }

    const attempt$ = defer(
      () =>
        new Observable<unknown>((subscriber) => {
          attempts += 1;
          const span = eventsTracer().startSpan(
            `handle ${topic}`,
            {
              attributes: {
                'messaging.system': 'kafka',
                'messaging.destination.name': topic,
                'messaging.message.id': eventContext.causationId,
                'messaging.consumer.group.name': this.settings.serviceName,
                'microshop.correlation_id': eventContext.correlationId,
                'microshop.attempt': attempts,
              },
            },
            parentContext,
          );
          // Nest binds the handler to the async context in which handle() is called.
          return otelContext.with(trace.setSpan(parentContext, span), () =>
            runInEventContext(eventContext, () =>
              next
                .handle()
                .pipe(
                  tap({
                    error: (err: unknown) => {
                      span.recordException(err as Error);
                      span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
                    },
                  }),
                  finalize(() => span.end()),
                )
                .subscribe(subscriber),
            ),
          );
        }),
    );

    return attempt$.pipe(
      retry({
        count: policy.maxRetries,
        delay: (err: unknown, retryCount) => {
          if (isPermanent(err)) return throwError(() => err);
          this.metrics.retried(topic);
          this.logger.warn(
            `Handler for ${topic} failed (attempt ${retryCount}), retrying: ${String(err)}`,
          );
          return timer(backoffDelay(retryCount, policy));
        },
      }),
      tap({ complete: () => this.metrics.consumed(topic) }),
      catchError((err: unknown) => this.park(kafka, err as Error, attempts)),
    );
  }

  private park(kafka: KafkaContext, error: Error, attempts: number): Observable<void> {
    const topic = kafka.getTopic();
    this.logger.error(
      `Dead-lettering ${topic}[${kafka.getPartition()}]@${kafka.getMessage().offset} after ${attempts} attempt(s): ${error.message}`,
    );
    this.metrics.failed(topic);
    return from(
      this.deadLetters.deadLetter(kafka, error, attempts, this.settings.serviceName),
    ).pipe(tap(() => this.metrics.deadLettered(topic)));
  }
}
