import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@microshop/auth';
import { ApiErrorDto } from '@microshop/runtime';
import { AuthThrottlerGuard } from '../throttling/auth-throttler.guard';
import { UserProfileDto } from '../users/dto/user-profile.dto';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RefreshTokenDto } from './dto/refresh-token.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenPairDto } from './dto/token-pair.dto';

const throttled = ApiTooManyRequestsResponse({
  type: ApiErrorDto,
  description: 'Too many attempts from this client (see the Retry-After header)',
});

@ApiTags('auth')
@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly users: UsersService,
    private readonly auth: AuthService,
  ) {}

  @Post('register')
  @UseGuards(AuthThrottlerGuard)
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a customer account' })
  @ApiCreatedResponse({ type: UserProfileDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'Email already registered' })
  @throttled
  registerUser(@Body() dto: RegisterDto): Promise<UserProfileDto> {
    return this.users.register(dto);
  }

  @Post('login')
  @UseGuards(AuthThrottlerGuard)
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in: an access token and a refresh token' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiUnauthorizedResponse({
    type: ApiErrorDto,
    description: 'Unknown email or wrong password (the same answer for both)',
  })
  @throttled
  login(@Body() dto: LoginDto): Promise<TokenPairDto> {
    return this.auth.login(dto);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description:
      'The refresh token is spent. Presenting a spent token again revokes every token of its session.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiBadRequestResponse({ type: ApiErrorDto })
  @ApiUnauthorizedResponse({ type: ApiErrorDto })
  refreshTokens(@Body() dto: RefreshTokenDto): Promise<TokenPairDto> {
    return this.auth.refresh(dto.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session" })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ type: ApiErrorDto })
  logout(@Body() dto: RefreshTokenDto): Promise<void> {
    return this.auth.logout(dto.refreshToken);
  }
}
