import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mysqlOutbox } from '@microshop/events';
import { CatalogReplicaModule } from '../catalog-replica/catalog-replica.module';
import { ProcessedEvent } from '../processed-events/processed-event.entity';
import {
  CUSTOMER_LIMITS,
  CustomerLimitSettings,
  CustomerOrderLimits,
} from './customer-order-limits';
import { IdempotencyKey } from './entities/idempotency-key.entity';
import { OrderLine } from './entities/order-line.entity';
import { OrderStatusHistory } from './entities/order-status-history.entity';
import { Order } from './entities/order.entity';
import { OrderSagaService } from './order-saga.service';
import { OrdersConsumer } from './orders.consumer';
import { OrdersController } from './orders.controller';
import { OrderMetrics, orderMetricProviders } from './orders.metrics';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      Order,
      OrderLine,
      OrderStatusHistory,
      IdempotencyKey,
      ProcessedEvent,
    ]),
    CatalogReplicaModule,
  ],
  controllers: [OrdersController, OrdersConsumer],
  providers: [
    OrdersService,
    OrderSagaService,
    OrdersRepository,
    OrderMetrics,
    ...orderMetricProviders,
    mysqlOutbox('orders'),
    CustomerOrderLimits,
  ],
})
export class OrdersModule {
  static forRoot(customerLimits: CustomerLimitSettings): DynamicModule {
    return {
      module: OrdersModule,
      providers: [{ provide: CUSTOMER_LIMITS, useValue: customerLimits }],
    };
  }
}
