import { DynamicModule, Global, Module } from '@nestjs/common';
import { UserServiceConfig } from './config';

export const USER_SERVICE_CONFIG = Symbol('USER_SERVICE_CONFIG');

/** The validated configuration, injectable as `@Inject(USER_SERVICE_CONFIG)`. */
@Global()
@Module({})
export class UserServiceConfigModule {
  static forRoot(config: UserServiceConfig): DynamicModule {
    return {
      module: UserServiceConfigModule,
      providers: [{ provide: USER_SERVICE_CONFIG, useValue: config }],
      exports: [USER_SERVICE_CONFIG],
    };
  }
}
