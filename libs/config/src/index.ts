export * from './common-env';
export * from './config-error';
export * from './env-vars';
export * from './load-config';
export * from './load-or-exit';
