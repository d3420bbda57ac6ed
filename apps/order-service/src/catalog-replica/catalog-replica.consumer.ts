import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventEnvelope, OnEvent, TOPICS } from '@microshop/events';
import { CatalogReplicaService } from './catalog-replica.service';

@Controller()
export class CatalogReplicaConsumer {
  constructor(private readonly replica: CatalogReplicaService) {}

  @OnEvent(TOPICS.PRODUCT_CREATED)
  onProductCreated(@Payload() event: EventEnvelope<typeof TOPICS.PRODUCT_CREATED>): Promise<void> {
    return this.replica.applyState(event);
  }

  @OnEvent(TOPICS.PRODUCT_UPDATED)
  onProductUpdated(@Payload() event: EventEnvelope<typeof TOPICS.PRODUCT_UPDATED>): Promise<void> {
    return this.replica.applyState(event);
  }

  @OnEvent(TOPICS.PRODUCT_DELETED)
  onProductDeleted(@Payload() event: EventEnvelope<typeof TOPICS.PRODUCT_DELETED>): Promise<void> {
    return this.replica.applyDeletion(event);
  }
}
