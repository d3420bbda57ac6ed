import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, OnEvent, TOPICS } from '@microshop/events';
import { StockService } from './stock.service';

@Controller()
export class StockConsumer {
  constructor(private readonly stock: StockService) {}

  @OnEvent(TOPICS.ORDER_CREATED)
  onOrderCreated(@Payload() event: EventEnvelope<typeof TOPICS.ORDER_CREATED>): Promise<void> {
    return this.stock.reserve(event);
  }

  @OnEvent(TOPICS.ORDER_CANCELLED)
  onOrderCancelled(@Payload() event: EventEnvelope<typeof TOPICS.ORDER_CANCELLED>): Promise<void> {
    return this.stock.cancel(event);
  }
}
