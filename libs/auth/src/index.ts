export * from './auth-env';
export * from './auth-user';
export * from './auth.guard';
export * from './auth.module';
export * from './decorators';
export * from './dev-signing-key';
export * from './token-verifier';
