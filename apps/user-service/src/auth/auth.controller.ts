import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { UserProfileDto } from '../users/dto/user-profile.dto';
import { UsersService } from '../users/users.service';
import { RegisterDto } from './dto/register.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly users: UsersService) {}

  @Public()
  @Post('register')
  @HttpCode(201)
  @ApiCreatedResponse({ type: UserProfileDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'Email already registered' })
  registerUser(@Body() dto: RegisterDto): Promise<UserProfileDto> {
    return this.users.register(dto);
  }
}
