import { EventEmitter } from 'node:events';

/**
 * How a write that recorded events wakes this process's relay: the outbox's schema plugin (MongoDB)
 * and commit subscriber (MySQL) signal it, so domain code never has to. Process-wide, because the
 * Mongoose plugin is attached to schemas before any Nest provider exists.
 */
const recorded = new EventEmitter().setMaxListeners(0);
const RECORDED = 'recorded';

/** `id` is the document that holds the new events, when the write names exactly one. */
export type RecordedListener = (outbox: string, id?: unknown) => void;

export function signalRecorded(outbox: string, id?: unknown): void {
  recorded.emit(RECORDED, outbox, id);
}

/** Returns the function that stops listening. */
export function onRecorded(listener: RecordedListener): () => void {
  recorded.on(RECORDED, listener);
  return () => recorded.off(RECORDED, listener);
}
