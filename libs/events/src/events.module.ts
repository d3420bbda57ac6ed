import { DynamicModule, Global, Module } from '@nestjs/common';
import { ClientProxyFactory, Transport } from '@nestjs/microservices';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerLag, consumerLagMetricProviders } from './consumer/consumer-lag';
import { ConsumerSupervisor } from './consumer/consumer-supervisor';
import { KafkaMessageMetrics, messageMetricProviders } from './kafka/message-metrics';
import { DeadLetterPublisher } from './consumer/dead-letter';
import { ReliableConsumerInterceptor } from './consumer/reliable-consumer.interceptor';
import { EventPublisher } from './kafka/event-publisher';
import { KafkaAdmin } from './kafka/kafka-admin';
import { kafkaProducerOptions } from './kafka/kafka-options';
import { KAFKA_PRODUCER_CLIENT, KAFKA_SETTINGS, KafkaSettings } from './kafka/kafka-settings';
import { KafkaHealthIndicator } from './kafka/kafka.health';
import { OutboxRelay, outboxMetricProviders } from './outbox/outbox-relay';

/** Kafka for an app: publishing, the outbox relay, reliable consumers, topics and health. */
@Global()
@Module({})
export class EventsModule {
  static forRoot(settings: KafkaSettings): DynamicModule {
    const exported = [
      EventPublisher,
      OutboxRelay,
      KafkaAdmin,
      KafkaHealthIndicator,
      ConsumerSupervisor,
      ConsumerLag,
      KafkaMessageMetrics,
      DeadLetterPublisher,
      ReliableConsumerInterceptor,
    ];
    return {
      module: EventsModule,
      imports: [TerminusModule],
      providers: [
        { provide: KAFKA_SETTINGS, useValue: settings },
        {
          provide: KAFKA_PRODUCER_CLIENT,
          useFactory: () =>
            ClientProxyFactory.create({
              transport: Transport.KAFKA,
              options: kafkaProducerOptions(settings),
            }),
        },
        ...messageMetricProviders,
        ...consumerLagMetricProviders,
        ...outboxMetricProviders,
        ...exported,
      ],
      exports: [KAFKA_SETTINGS, ...exported],
    };
  }
}
