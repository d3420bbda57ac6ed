import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { mongoOutbox } from '@microshop/events';
import { ProductsController } from './products.controller';
import { ProductsService } from './products.service';
import { Product, ProductSchema } from './schemas/product.schema';

/** The catalog. Exports the Product model for features that change the same documents (stock). */
@Module({
  imports: [MongooseModule.forFeature([{ name: Product.name, schema: ProductSchema }])],
  controllers: [ProductsController],
  providers: [ProductsService, mongoOutbox(Product.name)],
  exports: [ProductsService, MongooseModule],
})
export class ProductsModule {}
