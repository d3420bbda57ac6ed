import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ProductsModule } from '../products/products.module';
import {
  StockOutboxPending,
  StockOutboxPendingSchema,
} from './schemas/stock-outbox-pending.schema';
import { StockRelease, StockReleaseSchema } from './schemas/stock-release.schema';
import { StockReservation, StockReservationSchema } from './schemas/stock-reservation.schema';
import { StockHolds } from './stock-holds';
import { StockOutbox } from './stock-outbox';
import { StockConsumer } from './stock.consumer';
import { StockService } from './stock.service';

/** Stock reservations for orders: the product-service side of the order saga. */
@Module({
  imports: [
    ProductsModule,
    MongooseModule.forFeature([
      { name: StockReservation.name, schema: StockReservationSchema },
      { name: StockRelease.name, schema: StockReleaseSchema },
      { name: StockOutboxPending.name, schema: StockOutboxPendingSchema },
    ]),
  ],
  controllers: [StockConsumer],
  providers: [StockService, StockHolds, StockOutbox],
})
export class StockModule {}
