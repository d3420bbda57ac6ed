import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationsPageDto } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The mail log, newest first (admin)' })
  @ApiOkResponse({ type: NotificationsPageDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto })
  listNotifications(@Query() query: ListNotificationsQuery): Promise<NotificationsPageDto> {
    return this.notifications.list(query.recipient, query.limit);
  }
}
