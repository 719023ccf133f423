// The event log's public interface: the typed catalog, appending and reading, durable consumers.
export { EVENT_TYPES, EVENT_TYPE_NAMES, OrderSnapshot, Deadlines, type EventType, type EventPayload } from './catalog.js';
export {
  appendEvents, appendStatement, assertValidEvent, readStream, streamHasEvent, readAfter, headCursor, cursorAt, isAfter, listEvents, countEvents, LOG_START,
  type NewEvent, type StoredEvent, type Cursor, type Stream, type EventQuery,
} from './log.js';
export { ensureConsumers, runBatch, drain, consumerStatus, startConsumers, type Consumer, type ConsumerStatus, type BatchOutcome } from './consumers.js';
export { LiveFeed } from './live.js';
