import { DynamicModule, Module } from '@nestjs/common';
import { LoggingModule } from '@microshop/observability';
import { mongoStore } from '@microshop/runtime';
import { ProductServiceConfig } from '../config';
import { ProductsModule } from '../products/products.module';
import { DemoCatalogSeeder } from './demo-catalog.seeder';

/**
 * What the `seed` command boots: the store and the catalog, no Kafka. The events it records stay in
 * the outbox until a running product-service's relay publishes them.
 */
@Module({})
export class SeedModule {
  static forRoot(config: ProductServiceConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [
        mongoStore(config.mongoUri),
        LoggingModule.forRoot({ serviceName: config.kafka.serviceName, level: config.logLevel }),
        ProductsModule,
      ],
      providers: [DemoCatalogSeeder],
    };
  }
}
