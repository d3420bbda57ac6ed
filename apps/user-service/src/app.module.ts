import { DynamicModule, Module } from '@nestjs/common';
import { mongoReadiness, mongoStore, ServiceCoreModule } from '@microshop/runtime';
import { AuthModule } from './auth/auth.module';
import { UserServiceConfig } from './config';
import { UserServiceConfigModule } from './config.module';
import { KeysModule } from './keys/keys.module';
import { SigningKeys } from './keys/signing-keys';
import { UsersModule } from './users/users.module';

@Module({})
export class AppModule {
  static forRoot(config: UserServiceConfig, keys: SigningKeys): DynamicModule {
    return {
      module: AppModule,
      imports: [
        UserServiceConfigModule.forRoot(config),
        KeysModule.forRoot(keys),
        mongoStore(config.mongoUri),
        ServiceCoreModule.forRoot({
          kafka: config.kafka,
          // user-service verifies with its own key, never through its own JWKS endpoint.
          auth: { ...config.auth, publicKeyPem: keys.publicKeyPem },
          logLevel: config.logLevel,
          metricsPort: config.http.metricsPort,
          storeChecks: mongoReadiness,
        }),
        UsersModule,
        AuthModule,
      ],
    };
  }
}
