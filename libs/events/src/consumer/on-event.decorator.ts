import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { Topic } from '../topics';
import { ReliableConsumerInterceptor } from './reliable-consumer.interceptor';
import { recordSubscription } from './subscriptions';

/**
 * Marks a Kafka event handler. Use it instead of a bare `@EventPattern`: it adds envelope
 * validation, retries with backoff and dead-lettering (see ReliableConsumerInterceptor).
 */
export const OnEvent = (topic: Topic) => {
  recordSubscription(topic);
  return applyDecorators(EventPattern(topic), UseInterceptors(ReliableConsumerInterceptor));
};
