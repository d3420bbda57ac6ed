import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StockLevel, StockLevelSchema } from './schemas/stock-level.schema';
import { StockLevels } from './stock-levels';

/** The stock levels of products: what the catalog composes into the product API. */
@Module({
  imports: [MongooseModule.forFeature([{ name: StockLevel.name, schema: StockLevelSchema }])],
  providers: [StockLevels],
  exports: [StockLevels, MongooseModule],
})
export class StockLevelsModule {}
