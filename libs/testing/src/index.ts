export * from './accounts';
export * from './factories';
export * from './http';
export * from './smtp-inbox';
export * from './tokens';
export * from './wait-for';
export * from './kafka';
export * from './catalog';
