import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ServiceCoreModule } from '@microshop/runtime';
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
        TypeOrmModule.forRoot({
          type: 'mysql',
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
          storeChecks: {
            inject: [TypeOrmHealthIndicator],
            useFactory: (db: TypeOrmHealthIndicator) => [
              () => db.pingCheck('mysql', { timeout: 2_000 }),
            ],
          },
        }),
        CatalogReplicaModule,
        OrdersModule,
      ],
    };
  }
}
