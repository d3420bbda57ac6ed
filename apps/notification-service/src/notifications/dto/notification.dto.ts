import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../schemas/notification.schema';

export class NotificationDto {
  @ApiProperty({ example: '1b4e28ba-2fa1-11d2-883f-0016d3cca427' }) eventId!: string;
  @ApiProperty({ example: 'user.registered' }) type!: string;
  @ApiProperty({ example: 'ada@example.com' }) recipient!: string;
  @ApiProperty({ example: 'Welcome to MicroShop' }) subject!: string;
  @ApiProperty({
    enum: NOTIFICATION_STATUSES,
    example: 'SENT',
    description: 'SENT, FAILED (the last attempt failed; it is retried), PENDING (being sent)',
  })
  status!: NotificationStatus;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-24T12:00:00.000Z' })
  sentAt!: string | null;
}

export class NotificationsPageDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first' })
  items!: NotificationDto[];
}
