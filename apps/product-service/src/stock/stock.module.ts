import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { mongoOutbox } from '@microshop/events';
import { StockReservation, StockReservationSchema } from './schemas/stock-reservation.schema';
import { StockLevelsModule } from './stock-levels.module';
import { StockMarksSweep } from './stock-marks-sweep';
import { StockConsumer } from './stock.consumer';
import { StockService } from './stock.service';

/** Stock reservations for orders: the product-service side of the order saga. */
@Module({
  imports: [
    StockLevelsModule,
    MongooseModule.forFeature([{ name: StockReservation.name, schema: StockReservationSchema }]),
  ],
  controllers: [StockConsumer],
  providers: [StockService, StockMarksSweep, mongoOutbox(StockReservation.name)],
})
export class StockModule {}
