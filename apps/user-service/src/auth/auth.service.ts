import { Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthUser } from '@microshop/auth';
import { RefreshTokensService } from '../refresh-tokens/refresh-tokens.service';
import { UsersService } from '../users/users.service';
import { AccessTokenSigner } from './access-token.signer';
import { LoginDto } from './dto/login.dto';
import { TokenPairDto } from './dto/token-pair.dto';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly refreshTokens: RefreshTokensService,
    private readonly accessTokens: AccessTokenSigner,
  ) {}

  /** One answer for an unknown email and a wrong password. */
  async login({ email, password }: LoginDto): Promise<TokenPairDto> {
    const user = await this.users.verifyCredentials(email, password);
    if (!user) throw new UnauthorizedException('Invalid email or password');
    return this.pair(user, await this.refreshTokens.issue(user.id));
  }

  /** Spends the refresh token and returns a new pair with the account's current roles. */
  async refresh(token: string): Promise<TokenPairDto> {
    const spent = await this.refreshTokens.spend(token);
    const user = await this.users.findActive(spent.userId);
    if (!user) {
      await this.refreshTokens.revokeFamily(spent.familyId);
      throw new UnauthorizedException('The refresh token is invalid or expired');
    }
    return this.pair(user, await this.refreshTokens.rotate(spent));
  }

  logout(token: string): Promise<void> {
    return this.refreshTokens.revokeFamilyOf(token);
  }

  private async pair(user: AuthUser, refreshToken: string): Promise<TokenPairDto> {
    return {
      accessToken: await this.accessTokens.sign(user),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
    };
  }
}
