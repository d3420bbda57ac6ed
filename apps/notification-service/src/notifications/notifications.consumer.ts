import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, OnEvent, TOPICS } from '@microshop/events';
import { NotificationsService } from './notifications.service';

@Controller()
export class NotificationsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @OnEvent(TOPICS.USER_REGISTERED)
  onUserRegistered(@Payload() event: EventEnvelope<typeof TOPICS.USER_REGISTERED>): Promise<void> {
    return this.notifications.notify(event);
  }

  @OnEvent(TOPICS.ORDER_CONFIRMED)
  onOrderConfirmed(@Payload() event: EventEnvelope<typeof TOPICS.ORDER_CONFIRMED>): Promise<void> {
    return this.notifications.notify(event);
  }

  @OnEvent(TOPICS.ORDER_REJECTED)
  onOrderRejected(@Payload() event: EventEnvelope<typeof TOPICS.ORDER_REJECTED>): Promise<void> {
    return this.notifications.notify(event);
  }

  @OnEvent(TOPICS.ORDER_CANCELLED)
  onOrderCancelled(@Payload() event: EventEnvelope<typeof TOPICS.ORDER_CANCELLED>): Promise<void> {
    return this.notifications.notify(event);
  }
}
