// Calls (来电): the call centre's telephony events, absorbed into one record per call (docs/telephony.md).
export { CALL_EVENT_TYPES, TRANSFER_KINDS, type CallEvent, type CallEventType, type TransferKind } from './call-events.js';
export { CALL_STATES, CALL_OUTCOMES, deriveCall, inCallOrder, type CallRecord, type CallState, type CallOutcome } from './record.js';
export { absorbCallEvents, FUTURE_SLACK_MS, type Absorbed, type EventOutcome } from './store.js';
export { CallEventIntake } from './intake.js';
export { listCalls, getCall, maySeeCallEvent, type CallView, type CallQuery } from './read.js';
export { callerProfile, type CallerProfile } from './profile.js';
export { SEAT_STATES, mySeat, signInToSeat, setSeatState, signOutOfSeat, staffAtSeats, absorbSeatEvents, type SeatState, type SeatView, type SeatEvent, type SeatEventOutcome } from './seats.js';
export { callOrdersConsumer, ordersOfCalls, handlingOf, type CallOrder, type CallHandling } from './orders.js';
export { bridgeSettings, startBridge, type BridgeSettings } from './ami/bridge.js';
export { serviceLevel, liveWall, SERVICE_LEVEL_BY, SERVICE_LEVEL_DEFINITIONS, ANSWER_WITHIN_SECONDS, type ServiceLevel, type ServiceLevelFigures, type Wall } from './service-level.js';
export { seatTime, SEAT_TIME_DEFINITIONS, type SeatTime, type AgentSeatTime } from './seat-time.js';
export { endLostCalls, ensureLostCallsSweep, lostCallsTimer, LOST_CALLS_TIMER, LOST_AFTER_MS } from './lost.js';
