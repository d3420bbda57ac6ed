import { DynamicModule, Module } from '@nestjs/common';
import { mongoReadiness, mongoStore, ServiceCoreModule } from '@microshop/runtime';
import { NotificationServiceConfig } from './config';
import { MailModule } from './mail/mail.module';
import { NotificationsModule } from './notifications/notifications.module';

@Module({})
export class AppModule {
  static forRoot(config: NotificationServiceConfig): DynamicModule {
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
        MailModule.forRoot(config),
        NotificationsModule,
      ],
    };
  }
}
