import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { mongoOutbox } from '@microshop/events';
import { ProductsModule } from '../products/products.module';
import { StockReservation, StockReservationSchema } from './schemas/stock-reservation.schema';
import { StockHolds } from './stock-holds';
import { StockConsumer } from './stock.consumer';
import { StockService } from './stock.service';

/** Stock reservations for orders: the product-service side of the order saga. */
@Module({
  imports: [
    ProductsModule,
    MongooseModule.forFeature([{ name: StockReservation.name, schema: StockReservationSchema }]),
  ],
  controllers: [StockConsumer],
  providers: [StockService, StockHolds, mongoOutbox(StockReservation.name)],
})
export class StockModule {}
