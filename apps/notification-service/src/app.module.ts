import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MongooseHealthIndicator } from '@nestjs/terminus';
import { ServiceCoreModule } from '@microshop/runtime';
import { NotificationServiceConfig } from './config';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationServiceConfig): DynamicModule {
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
        MailModule.forRoot(config),
        NotificationsModule,
      ],
    };
  }
}
