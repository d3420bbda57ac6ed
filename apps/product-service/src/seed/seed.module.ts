import { Module } from '@nestjs/common';
import { ProductsModule } from '../products/products.module';
import { DemoCatalogSeeder } from './demo-catalog.seeder';

@Module({ imports: [ProductsModule], providers: [DemoCatalogSeeder], exports: [DemoCatalogSeeder] })
export class SeedModule {}
