import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { mongoOutbox } from '@microshop/events';
import { StockLevelsModule } from '../stock/stock-levels.module';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';
import { Product, ProductSchema } from './schemas/product.schema';

/** The catalog, shown with the stock levels of its products. */
@Module({
  imports: [
    MongooseModule.forFeature([{ name: Product.name, schema: ProductSchema }]),
    StockLevelsModule,
  ],
  controllers: [ProductsController],
  providers: [ProductsService, mongoOutbox(Product.name)],
  exports: [ProductsService],
})
export class ProductsModule {}
