// Entry point loaded by each app before everything else (see apps/*/src/tracing.ts); it must not
// import Nest or any instrumented module.
export * from './start-tracing';
