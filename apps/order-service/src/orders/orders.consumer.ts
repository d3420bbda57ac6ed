import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, OnEvent, TOPICS } from '@microshop/events';
import { OrderSagaService } from './order-saga.service';

@Controller()
export class OrdersConsumer {
  constructor(private readonly saga: OrderSagaService) {}

  @OnEvent(TOPICS.STOCK_RESERVED)
  onStockReserved(@Payload() event: EventEnvelope<typeof TOPICS.STOCK_RESERVED>): Promise<void> {
    return this.saga.onStockReserved(event);
  }

  @OnEvent(TOPICS.STOCK_REJECTED)
  onStockRejected(@Payload() event: EventEnvelope<typeof TOPICS.STOCK_REJECTED>): Promise<void> {
    return this.saga.onStockRejected(event);
  }
}
