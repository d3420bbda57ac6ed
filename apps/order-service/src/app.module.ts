import { DynamicModule, Module } from '@nestjs/common';
import { mysqlReadiness, mysqlStore, ServiceCoreModule } from '@microshop/runtime';
import { OrderServiceConfig } from './config';
import { CatalogReplicaModule } from './catalog-replica/catalog-replica.module';
import { MIGRATIONS } from './migrations';
import { OrdersModule } from './orders/orders.module';

@Module({})
export class AppModule {
  static forRoot(config: OrderServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        mysqlStore({
          url: config.mysqlUrl,
          autoLoadEntities: true,
          // The schema is owned by the committed migrations, applied at boot; never synchronize.
          synchronize: false,
          migrations: MIGRATIONS,
          migrationsRun: true,
          timezone: 'Z',
        }),
        ServiceCoreModule.forRoot({
          kafka: config.kafka,
          auth: config.auth,
          logLevel: config.logLevel,
          metricsPort: config.http.metricsPort,
          storeChecks: mysqlReadiness,
        }),
        CatalogReplicaModule,
        OrdersModule.forRoot(config.customerLimits),
      ],
    };
  }
}
