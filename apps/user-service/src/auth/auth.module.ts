import { Module } from '@nestjs/common';
import { RefreshTokensModule } from '../refresh-tokens/refresh-tokens.module';
import { ThrottlingModule } from '../throttling/throttling.module';
import { UsersModule } from '../users/users.module';
import { AccessTokenSigner } from './access-token.signer';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';

@Module({
  imports: [UsersModule, RefreshTokensModule, ThrottlingModule],
  controllers: [AuthController],
  providers: [AuthService, AccessTokenSigner],
})
export class AuthModule {}
