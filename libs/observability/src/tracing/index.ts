// Entry point of each app's main.ts, loaded before everything else; it must not import Nest or any
// instrumented module.
export * from './run-with-tracing';
export * from './start-tracing';
