import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthSettings } from './auth-env';
import { AuthGuard } from './auth.guard';
import { AUTH_SETTINGS, TokenVerifier } from './token-verifier';

/** Access-token verification for an app, with the guard applied to every route. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        TokenVerifier,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_SETTINGS, TokenVerifier],
    };
  }
}
