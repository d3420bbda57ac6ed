import { DynamicModule, Global, Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';
import { SIGNING_KEYS, SigningKeys } from './signing-keys';

/** The signing key (loaded before the app starts) and the JWKS endpoint publishing it. */
@Global()
@Module({})
export class KeysModule {
  static forRoot(keys: SigningKeys): DynamicModule {
    return {
      module: KeysModule,
      providers: [{ provide: SIGNING_KEYS, useValue: keys }],
      controllers: [JwksController],
      exports: [SIGNING_KEYS],
    };
  }
}
