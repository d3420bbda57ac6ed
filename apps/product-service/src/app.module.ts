import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MongooseHealthIndicator } from '@nestjs/terminus';
import { ServiceCoreModule } from '@microshop/runtime';
import { ProductServiceConfig } from './config';

@Module({})
export class AppModule {
  static forRoot(config: ProductServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MongooseModule.forRoot(config.mongoUri, { serverSelectionTimeoutMS: 5_000 }),
        ServiceCoreModule.forRoot({
          kafka: config.kafka,
          auth: config.auth,
          logLevel: config.logLevel,
          storeChecks: {
            inject: [MongooseHealthIndicator],
            useFactory: (mongo: MongooseHealthIndicator) => [
              () => mongo.pingCheck('mongodb', { timeout: 2_000 }),
            ],
          },
        }),
      ],
    };
  }
}
