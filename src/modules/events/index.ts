// The event log's public interface: the typed catalog, appending and reading, durable consumers.
export { EVENT_TYPES, EVENT_TYPE_NAMES, OrderSnapshot, WarningSnapshot, CallSnapshot, Deadlines, streamOf, type EventType, type EventPayload, type Stream } from './catalog.js';
export {
  appendEvents, appendStatement, orderSnapshotOf, assertValidEvent, readStream, streamHasEvent, readAfter, eventsAfter, headCursor, lastCommitted, readableHead, cursorAt, cursorBefore, isAfter, listEvents, countEvents, LOG_START,
  type NewEvent, type StoredEvent, type Cursor, type EventQuery,
} from './log.js';
export { ensureConsumers, consumersBehind, holdConsumer, runBatch, drain, drainCommitted, skipTo, consumerStatus, startConsumers, type Consumer, type ConsumerStatus, type BatchOutcome } from './consumers.js';
export { LiveFeed } from './live.js';
export { publicEvent } from './public.js';
