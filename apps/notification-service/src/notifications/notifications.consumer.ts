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
}
