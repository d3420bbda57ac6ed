import { DynamicModule, Module } from '@nestjs/common';
import { mongoReadiness, mongoStore, ServiceCoreModule } from '@microshop/runtime';
import { ProductServiceConfig } from './config';
import { ProductsModule } from './products/products.module';
import { StockModule } from './stock/stock.module';

@Module({})
export class AppModule {
  static forRoot(config: ProductServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        mongoStore(config.mongoUri),
        ServiceCoreModule.forRoot({
          kafka: config.kafka,
          auth: config.auth,
          logLevel: config.logLevel,
          metricsPort: config.http.metricsPort,
          storeChecks: mongoReadiness,
        }),
        ProductsModule,
        StockModule,
      ],
    };
  }
}
