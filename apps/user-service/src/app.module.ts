import { DynamicModule, Module } from '@nestjs/common';
import { mongoReadiness, mongoStore, ServiceCoreModule } from '@microshop/runtime';
import { AuthModule } from './auth/auth.module';
import { UserServiceConfig } from './config';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: UserServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        mongoStore(config.mongoUri),
        ServiceCoreModule.forRoot({
          kafka: config.kafka,
          auth: config.auth,
          logLevel: config.logLevel,
          storeChecks: mongoReadiness,
        }),
        UsersModule,
        AuthModule,
      ],
    };
  }
}
