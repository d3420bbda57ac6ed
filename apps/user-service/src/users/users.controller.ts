import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser, Roles } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateMeDto } from './dto/update-me.dto';
import { UpdateRolesDto } from './dto/update-roles.dto';
import { UserProfileDto } from './dto/user-profile.dto';
import { AuthThrottlerGuard } from '../throttling/auth-throttler.guard';
import { UsersPageDto } from './dto/users-page.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'No valid access token' })
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Your own profile' })
  @ApiOkResponse({ type: UserProfileDto })
  getMe(@CurrentUser() caller: AuthUser): Promise<UserProfileDto> {
    return this.users.me(caller.id);
  }

  @Patch('me')
  // Each password check costs an argon2 verification: a stolen token must not buy unlimited guesses.
  @UseGuards(AuthThrottlerGuard)
  @ApiOperation({
    summary: 'Change your name and/or password',
    description:
      'A new password needs `currentPassword` (401 when it is wrong) and signs out every session (refresh token) of the account.',
  })
  @ApiOkResponse({ type: UserProfileDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiTooManyRequestsResponse({
    type: ApiErrorDto,
    description: 'Too many attempts on this account (see the Retry-After header)',
  })
  updateMe(@CurrentUser() caller: AuthUser, @Body() dto: UpdateMeDto): Promise<UserProfileDto> {
    return this.users.updateMe(caller.id, dto);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'All accounts, oldest first (admin)' })
  @ApiOkResponse({ type: UsersPageDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto })
  listUsers(@Query() query: ListUsersQuery): Promise<UsersPageDto> {
    return this.users.list(query.limit, query.offset);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One account (admin)' })
  @ApiOkResponse({ type: UserProfileDto })
  @ApiForbiddenResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  getUser(@Param('id') id: string): Promise<UserProfileDto> {
    return this.users.get(id);
  }

  @Patch(':id/roles')
  @Roles('admin')
  @ApiOperation({
    summary: "Replace an account's roles (admin)",
    description: "Effective from the account's next access token (at most JWT_ACCESS_TTL later).",
  })
  @ApiOkResponse({ type: UserProfileDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiForbiddenResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'Your own admin role' })
  setUserRoles(
    @CurrentUser() caller: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateRolesDto,
  ): Promise<UserProfileDto> {
    return this.users.setRoles(id, dto.roles, caller.id);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Delete an account (admin)',
    description:
      'The account disappears everywhere, its sessions end, its email can register again, and `user.deleted` is published.',
  })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ type: ApiErrorDto })
  @ApiNotFoundResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'Your own account' })
  deleteUser(@CurrentUser() caller: AuthUser, @Param('id') id: string): Promise<void> {
    return this.users.delete(id, caller.id);
  }
}
