import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Notification, NotificationSchema } from './schemas/notification.schema';
import { NotificationsConsumer } from './notifications.consumer';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { MailDeliveryService, mailMetricProviders } from './mail-delivery.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Notification.name, schema: NotificationSchema }])],
  controllers: [NotificationsConsumer, NotificationsController],
  providers: [NotificationsService, MailDeliveryService, ...mailMetricProviders],
})
export class NotificationsModule {}
