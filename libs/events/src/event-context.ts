import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Correlation of the work in progress: an HTTP request or the event being handled. Events created
 * while it is set inherit its correlation id, and name the handled event as their cause.
 */
export interface EventContext {
  correlationId: string;
  causationId: string | null;
}

const storage = new AsyncLocalStorage<EventContext>();

export const runInEventContext = <R>(context: EventContext, fn: () => R): R =>
  storage.run(context, fn);

export const currentEventContext = (): EventContext | undefined => storage.getStore();
