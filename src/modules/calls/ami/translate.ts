// Turns Asterisk Manager Interface events into Minsheng's call events (call-events.ts), per the
// mapping in docs/asterisk-ami.md §8. AMI reports channels (legs), bridges and queue entries, not
// calls, so this keeps a little state per call (its caller leg, its seat legs, the bridge the caller
// is in, the recording) to say which leg is which and why a call ended. One translator per PBX
// link: keep it across reconnects so that calls in progress stay known.
//
// Decisions where AMI is ambiguous (README.md in this folder says more):
// - the call is the caller leg's Linkedid; an attended transfer's consultation call (its own
//   Linkedid) is stitched onto the original call by the AttendedTransfer event;
// - a call is followed from its QueueCallerJoin (or any later queue event naming it); calls that
//   never meet a queue (internal calls, the consultation leg itself) produce nothing;
// - QueueCallerAbandon is held until the caller leg's Hangup, because queue timeout and leave-empty
//   emit it too and say so only afterwards (VarSet QUEUESTATUS on the caller leg);
// - ids are `ami:<SystemName|pbxName>:<leg Uniqueid>:<type>:<Timestamp>`: two adapters on the same
//   PBX give the same ids, but only with `timestampevents=yes` (without it, an ordinal per leg
//   and type stands in for the Timestamp and `at` is the injected clock's).
import type { CallEvent, CallEventType, TransferKind } from '../call-events.js';
import type { AmiMessage } from './parser.js';

/**
 * A seat's state from the PBX (POST /api/v1/telephony/seats): a queue member paused (not ready, with
 * its reason) or unpaused (ready). The bridge posts these apart from the call events.
 */
export interface SeatStateEvent {
  type: 'seat_state';
  id: string;
  seat: string;
  state: 'ready' | 'not_ready';
  reason?: string;
  at: string;
}

/** What the bridge hands Minsheng: call events, and seats' states. */
export type TelephonyEvent = CallEvent | SeatStateEvent;

export const isSeatState = (event: TelephonyEvent): event is SeatStateEvent => event.type === 'seat_state';

export interface TranslatorOptions {
  /** names the PBX in event ids when events carry no SystemName (asterisk.conf `systemname`) */
  pbxName?: string;
  /** the clock for events without a Timestamp (manager.conf `timestampevents=no`) */
  now?: () => Date;
  /** transfer targets that are emergency desks (一键转接): 110, 119 and 120 unless told */
  deskExtensions?: Iterable<string>;
  /** transfer targets that are queues (the extensions whose dialplan runs Queue()) */
  queueExtensions?: Iterable<string>;
  /** which extensions are seats (agent phones); 4 digits unless told */
  seatExtension?: RegExp;
  /** how long an ended call is remembered, for its late events (ms of event time) */
  endedGraceMs?: number;
  /** a call not heard of for this long is forgotten (its Hangup was missed, e.g. during a reconnect) */
  maxIdleMs?: number;
  /** at most this many calls are remembered; the oldest go first */
  maxCalls?: number;
}

export const DEFAULT_DESK_EXTENSIONS = ['110', '119', '120'];
const DEFAULTS = { pbxName: 'asterisk', seatExtension: /^\d{4}$/, endedGraceMs: 60_000, maxIdleMs: 12 * 3_600_000, maxCalls: 20_000 };
const SWEEP_EVERY_MS = 30_000;
/** QUEUESTATUS values saying the queue, not the caller, ended the wait (app_queue set_queue_result) */
const QUEUE_EXITS = new Set(['TIMEOUT', 'FULL', 'JOINEMPTY', 'LEAVEEMPTY', 'JOINUNAVAIL', 'LEAVEUNAVAIL', 'CONTINUE']);

type Role = 'caller' | 'seat' | 'other';
interface Leg { callId: string; role: Role; seat?: string; agent?: string }
type Party = Role;

interface CallState {
  callId: string;
  callerLeg: string;
  caller?: string;
  callee?: string;
  queue?: string;
  /** the seat now talking with the caller (after a transfer to a seat: the target) */
  seat?: string;
  agent?: string;
  recording?: string;
  legs: Set<string>;
  aliases: Set<string>;
  /** DialEnd status per seat leg: tells busy/rejected from a ring timeout */
  dialEnds: Map<string, string>;
  /** AgentComplete's Reason for the current seat, cleared by a new answer or a transfer */
  completeReason?: string;
  transferred: boolean;
  /** a blind transfer's target seat, until the caller is bridged with it (then that seat answered) */
  blindSeat?: string;
  /** legs gone by transferring the call away: their leaving says nothing about who ended it */
  departed: Set<string>;
  pendingAbandon?: CallEvent;
  queueExit?: string;
  callerAskedHangup: boolean;
  callerBridge?: string;
  firstLeaver?: Party;
  /** bridge → legs of this call in it (true: the leg entered with this call's own Linkedid) */
  bridges: Map<string, Map<string, boolean>>;
  joinedParties: Set<string>;
  ordinals: Map<string, number>;
  lastSeenMs: number;
  endedAtMs?: number;
}

interface Moment { iso: string; ms: number; stamp?: string }
type Handler = (m: AmiMessage, at: Moment) => TelephonyEvent[];

export class AmiTranslator {
  private readonly calls = new Map<string, CallState>();
  private readonly legs = new Map<string, Leg>();
  private readonly aliases = new Map<string, string>();
  private readonly desks: Set<string>;
  private readonly queues: Set<string>;
  private readonly seatExtension: RegExp;
  private readonly now: () => Date;
  private lastSweepMs = 0;
  /** by lowercased event name; a Map, so that no event name can reach an Object.prototype member */
  private readonly handlers = new Map<string, Handler>([
    ['queuecallerjoin', (m, at) => this.onQueueCallerJoin(m, at)],
    ['agentcalled', (m, at) => this.onAgentCalled(m, at)],
    ['dialend', (m) => this.onDialEnd(m)],
    ['agentringnoanswer', (m, at) => this.onAgentRingNoAnswer(m, at)],
    ['agentconnect', (m, at) => this.onAgentConnect(m, at)],
    ['agentcomplete', (m) => this.onAgentComplete(m)],
    ['queuecallerabandon', (m, at) => this.onQueueCallerAbandon(m, at)],
    ['hold', (m, at) => this.onHold(m, at, 'held')],
    ['unhold', (m, at) => this.onHold(m, at, 'unheld')],
    ['blindtransfer', (m, at) => this.onBlindTransfer(m, at)],
    ['attendedtransfer', (m, at) => this.onAttendedTransfer(m, at)],
    ['bridgeenter', (m, at) => this.onBridgeEnter(m, at)],
    ['bridgeleave', (m) => this.onBridgeLeave(m)],
    ['varset', (m) => this.onVarSet(m)],
    ['hanguprequest', (m) => this.onHangupRequest(m)],
    ['hangup', (m, at) => this.onHangup(m, at)],
    ['queuememberpause', (m, at) => this.onQueueMemberPause(m, at)],
  ]);

  constructor(private readonly options: TranslatorOptions = {}) {
    this.desks = new Set(options.deskExtensions ?? DEFAULT_DESK_EXTENSIONS);
    this.queues = new Set(options.queueExtensions ?? []);
    this.seatExtension = options.seatExtension ?? DEFAULTS.seatExtension;
    this.now = options.now ?? (() => new Date());
  }

  /** The events one AMI message means (most mean none). Responses and unknown events give []. */
  translate(message: AmiMessage): TelephonyEvent[] {
    const name = message.event?.toLowerCase();
    if (name === undefined) return [];
    const at = this.momentOf(message);
    const events = this.handlers.get(name)?.(message, at) ?? [];
    this.sweep(at.ms); // on every event, known or not: the clock moves on quiet lines too
    return events;
  }

  /** How many calls are remembered (for tests and metrics: it must stay bounded). */
  get rememberedCalls(): number {
    return this.calls.size;
  }

  // --- queue events ---------------------------------------------------------------------------

  private onQueueCallerJoin(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOfQueueEvent(m, at);
    call.caller = known(m.get('CallerIDNum')) ?? call.caller;
    call.callee = known(m.get('Exten'), 's') ?? call.callee;
    call.queue = m.get('Queue') ?? call.queue;
    call.queueExit = undefined; // a new wait (e.g. after a transfer to a queue)
    return this.emit(call, m, at, 'offered', call.callerLeg, { caller: call.caller, callee: call.callee, queue: call.queue });
  }

  private onAgentCalled(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOfQueueEvent(m, at);
    const seat = this.seatLegOfMember(call, m);
    return this.emit(call, m, at, 'ringing', seat.uid, { seat: seat.seat, agent: seat.agent, queue: m.get('Queue') });
  }

  private onDialEnd(m: AmiMessage): CallEvent[] {
    const call = this.callOf(m);
    const dest = m.get('DestUniqueid');
    if (call && dest) call.dialEnds.set(dest, m.get('DialStatus') ?? '');
    return [];
  }

  private onAgentRingNoAnswer(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOfQueueEvent(m, at);
    const seat = this.seatLegOfMember(call, m);
    const reason = notAnsweredReason(call.dialEnds.get(seat.uid));
    return this.emit(call, m, at, 'not_answered', seat.uid, { seat: seat.seat, agent: seat.agent, reason });
  }

  private onAgentConnect(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOfQueueEvent(m, at);
    const seat = this.seatLegOfMember(call, m);
    call.seat = seat.seat;
    call.agent = seat.agent;
    call.completeReason = undefined;
    call.pendingAbandon = undefined;
    call.blindSeat = undefined; // the queue answered it: a blind transfer that came back is over
    return this.emit(call, m, at, 'answered', seat.uid, { seat: seat.seat, agent: seat.agent, queue: m.get('Queue') });
  }

  private onAgentComplete(m: AmiMessage): CallEvent[] {
    const call = this.callOf(m);
    if (call) call.completeReason = m.get('Reason');
    return [];
  }

  /** Held back until the caller leg hangs up: a queue timeout emits it too and says so only afterwards. */
  private onQueueCallerAbandon(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOfQueueEvent(m, at);
    const [abandoned] = this.emit(call, m, at, 'abandoned', call.callerLeg, { caller: call.caller, queue: m.get('Queue') ?? call.queue });
    call.pendingAbandon = abandoned;
    return [];
  }

  /**
   * A member paused or unpaused (QueuePause, PauseQueueMember, a phone's feature code): the seat is
   * not ready (with PausedReason, or Reason before Asterisk 18) or ready. Paused in every queue, the
   * member raises one event per queue: they share an id, so Minsheng applies the state once.
   */
  private onQueueMemberPause(m: AmiMessage, at: Moment): TelephonyEvent[] {
    const seat = extensionOf(m.get('Interface') ?? m.get('StateInterface') ?? '');
    if (!this.isSeat(seat)) return [];
    const paused = m.get('Paused') === '1' || m.get('Paused')?.toLowerCase() === 'true';
    const pbx = m.get('SystemName') ?? this.options.pbxName ?? DEFAULTS.pbxName;
    const reason = known(m.get('PausedReason') || m.get('Reason'));
    return [{ type: 'seat_state', id: `ami:${pbx}:seat:${seat}:${paused ? 'paused' : 'unpaused'}:${at.stamp ?? at.ms}`, seat,
      state: paused ? 'not_ready' : 'ready', at: at.iso, ...(paused && reason ? { reason: reason.slice(0, 64) } : {}) }];
  }

  // --- hold, transfers, three-way -------------------------------------------------------------

  private onHold(m: AmiMessage, at: Moment, type: 'held' | 'unheld'): CallEvent[] {
    const call = this.callOf(m);
    const uid = m.get('Uniqueid');
    if (!call || !uid) return [];
    const leg = this.seatLeg(call, uid, m.get('Channel'));
    if (!leg) return []; // the caller's phone holding, or a leg that is no seat: not the agent's hold
    return this.emit(call, m, at, type, uid, { seat: leg.seat, agent: leg.agent });
  }

  private onBlindTransfer(m: AmiMessage, at: Moment): CallEvent[] {
    if (m.get('Result') !== 'Success') return [];
    const call = this.callOf(m, 'Transferee') ?? this.callOf(m, 'Transferer');
    const transferer = m.get('TransfererUniqueid');
    if (!call || !transferer) return [];
    const target = this.classify(m.get('Extension') ?? '');
    const events = this.transferred(call, m, at, transferer, [transferer], target);
    if (target.kind === 'seat') call.blindSeat = target.value;
    return events;
  }

  private onAttendedTransfer(m: AmiMessage, at: Moment): CallEvent[] {
    if (m.get('Result') !== 'Success') return [];
    const call = this.callOf(m, 'Transferee') ?? this.callOf(m, 'OrigTransferer');
    if (!call) return [];
    this.stitch(call, m.get('SecondTransfererLinkedid'));
    this.stitch(call, m.get('TransferTargetLinkedid'));
    const number = this.attendedTargetNumber(m);
    const targetUid = m.get('TransferTargetUniqueid');
    if (targetUid) this.adoptLeg(call, targetUid, m.get('TransferTargetChannel'));
    if (m.get('DestType') === 'Threeway') return this.joined(call, m, at, targetUid ?? call.callerLeg, number);
    const transferer = m.get('OrigTransfererUniqueid') ?? m.get('SecondTransfererUniqueid');
    if (!transferer) return [];
    const departing = [transferer, m.get('SecondTransfererUniqueid')].filter(isText);
    const target = this.classify(number);
    const events = this.transferred(call, m, at, transferer, departing, target);
    // the caller now talks to the seat consulted: it answered the call (its agent gets the screen-pop)
    if (target.kind === 'seat' && targetUid) {
      events.push(...this.emit(call, m, at, 'answered', targetUid, { seat: target.value, agent: this.legs.get(targetUid)?.agent }));
    }
    return events;
  }

  private transferred(call: CallState, m: AmiMessage, at: Moment, transferer: string, departing: string[], target: { kind: TransferKind; value: string }): CallEvent[] {
    call.blindSeat = undefined; // any earlier blind transfer is over
    const from = this.legs.get(transferer);
    const seat = from?.role === 'seat' ? from.seat : call.seat;
    const agent = from?.role === 'seat' ? from.agent : call.agent;
    for (const uid of departing) call.departed.add(uid);
    call.transferred = true;
    call.completeReason = undefined;
    call.firstLeaver = undefined;
    call.seat = target.kind === 'seat' ? target.value : undefined;
    call.agent = undefined;
    return this.emit(call, m, at, 'transferred', transferer, { seat, agent, target });
  }

  private joined(call: CallState, m: AmiMessage, at: Moment, uid: string, party: string): CallEvent[] {
    if (!party || call.joinedParties.has(party) || party === call.seat || party === call.caller) return [];
    call.joinedParties.add(party);
    call.blindSeat = undefined;
    return this.emit(call, m, at, 'joined', uid, { seat: call.seat, agent: call.agent, party });
  }

  /** The number the seat dialled for the consultation, else the target leg's seat or number. */
  private attendedTargetNumber(m: AmiMessage): string {
    const dialled = known(m.get('SecondTransfererExten'), 's');
    if (dialled && m.get('SecondTransfererUniqueid') !== m.get('OrigTransfererUniqueid')) return dialled;
    return this.numberOfLeg(m, 'TransferTarget') ?? dialled ?? '';
  }

  // --- bridges, variables, hangups ------------------------------------------------------------

  private onBridgeEnter(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOf(m);
    const uid = m.get('Uniqueid');
    const bridge = m.get('BridgeUniqueid');
    if (!call || !uid || !bridge) return [];
    const leg = this.adoptLeg(call, uid, m.get('Channel'));
    const members = call.bridges.get(bridge) ?? new Map<string, boolean>();
    call.bridges.set(bridge, members);
    members.set(uid, m.get('Linkedid') === call.callId);
    if (leg.role === 'caller') {
      call.callerBridge = bridge;
      call.firstLeaver = undefined;
    }
    return [...this.blindTransferAnswered(call, m, at, members), ...this.joinedByBridge(call, m, at, members, uid, leg)];
  }

  /**
   * A blind transfer to a seat is dialled by the dialplan, not by the queue (no AgentConnect): the
   * seat answered when the caller and that seat's leg are first in one bridge (its agent gets the
   * screen-pop, as after an attended transfer).
   */
  private blindTransferAnswered(call: CallState, m: AmiMessage, at: Moment, members: Map<string, boolean>): CallEvent[] {
    if (call.blindSeat === undefined || !members.has(call.callerLeg)) return [];
    const seats = [...members.keys()].filter((member) => this.legs.get(member)?.role === 'seat' && !call.departed.has(member));
    const seatLeg = seats.find((member) => this.legs.get(member)?.seat === call.blindSeat);
    // the caller bridged with another seat (the target never answered; the call went elsewhere): over
    if (!seatLeg) {
      if (seats.length > 0) call.blindSeat = undefined;
      return [];
    }
    call.blindSeat = undefined;
    const leg = this.legs.get(seatLeg)!;
    return this.emit(call, m, at, 'answered', seatLeg, { seat: leg.seat, agent: leg.agent });
  }

  /**
   * A bridge holding three or more of the call's legs is a three-way call; the leg that made it so
   * is the party. Legs of a consultation call (another Linkedid) are not counted: an attended
   * transfer's merge briefly puts the transferer, the caller and the target in one bridge.
   */
  private joinedByBridge(call: CallState, m: AmiMessage, at: Moment, members: Map<string, boolean>, uid: string, leg: Leg): CallEvent[] {
    const ownLegs = [...members].filter(([member, own]) => own && !call.departed.has(member));
    if (ownLegs.length < 3 || Number(m.get('BridgeNumChannels') ?? '0') < 3 || leg.role === 'caller' || !members.get(uid)) return [];
    const party = this.numberOfLeg(m, '', call.caller);
    return party ? this.joined(call, m, at, uid, party) : [];
  }

  /**
   * Who left the caller's bridge first says who ended the conversation: the caller leaving it, or
   * another leg leaving the caller alone in it (a third party leaving a three-way call ends nothing;
   * a transferring seat leaving ends nothing either).
   */
  private onBridgeLeave(m: AmiMessage): CallEvent[] {
    const call = this.callOf(m);
    const uid = m.get('Uniqueid');
    const bridge = m.get('BridgeUniqueid');
    if (!call || !uid || !bridge) return [];
    call.bridges.get(bridge)?.delete(uid);
    if (bridge !== call.callerBridge || call.firstLeaver !== undefined || call.departed.has(uid)) return [];
    const role = this.legs.get(uid)?.role ?? 'other';
    const callerLeftAlone = Number(m.get('BridgeNumChannels') ?? '0') <= 1;
    if (role === 'caller' || callerLeftAlone) call.firstLeaver = role;
    return [];
  }

  private onVarSet(m: AmiMessage): CallEvent[] {
    const call = this.callOf(m);
    if (!call) return [];
    const variable = m.get('Variable')?.toUpperCase();
    const value = m.get('Value') ?? '';
    if (variable === 'MIXMONITOR_FILENAME' && value) call.recording = value;
    if (variable === 'QUEUESTATUS' && m.get('Uniqueid') === call.callerLeg && QUEUE_EXITS.has(value.toUpperCase())) {
      call.queueExit = value.toUpperCase();
      call.pendingAbandon = undefined;
    }
    return [];
  }

  /** HangupRequest comes from the channel driver (the far end hung up); a dialplan Hangup() raises none. */
  private onHangupRequest(m: AmiMessage): CallEvent[] {
    const call = this.callOf(m);
    if (call && m.get('Uniqueid') === call.callerLeg) call.callerAskedHangup = true;
    return [];
  }

  private onHangup(m: AmiMessage, at: Moment): CallEvent[] {
    const call = this.callOf(m);
    if (!call) return [];
    if (m.get('Uniqueid') !== call.callerLeg) return this.forgetLegInBridges(call, m.get('Uniqueid'));
    if (call.endedAtMs !== undefined) return [];
    const abandoned = call.pendingAbandon ? [{ ...call.pendingAbandon }] : [];
    const ended = this.emit(call, m, at, 'ended', call.callerLeg, { caller: call.caller, seat: call.seat, agent: call.agent, reason: endReason(call) });
    call.endedAtMs = at.ms;
    call.pendingAbandon = undefined;
    return [...abandoned, ...ended];
  }

  /** A leg hung up without its BridgeLeave (not expected, SPEC says BridgeLeave comes first): it is in no bridge. */
  private forgetLegInBridges(call: CallState, uid: string | undefined): CallEvent[] {
    for (const members of call.bridges.values()) if (uid) members.delete(uid);
    return [];
  }

  // --- calls and legs -------------------------------------------------------------------------

  /** The call a message's leg (fields with `prefix`) belongs to: by its Uniqueid, else its Linkedid. */
  private callOf(m: AmiMessage, prefix = ''): CallState | undefined {
    const uid = m.get(`${prefix}Uniqueid`);
    const byLeg = uid === undefined ? undefined : this.legs.get(uid);
    const linkedid = m.get(`${prefix}Linkedid`);
    const callId = byLeg?.callId ?? (linkedid === undefined ? undefined : this.aliases.get(linkedid) ?? linkedid);
    const call = callId === undefined ? undefined : this.calls.get(callId);
    if (call && uid && !byLeg) this.adoptLeg(call, uid, m.get(`${prefix}Channel`));
    return call;
  }

  /** Queue events all carry the caller's leg: a call met first here (adapter restarted mid-call) is taken up. */
  private callOfQueueEvent(m: AmiMessage, at: Moment): CallState {
    const existing = this.callOf(m);
    if (existing) {
      existing.lastSeenMs = at.ms;
      return existing;
    }
    const linkedid = m.get('Linkedid') ?? m.get('Uniqueid') ?? '';
    const call = newCall(this.aliases.get(linkedid) ?? linkedid, m.get('Uniqueid') ?? linkedid, at.ms);
    call.caller = known(m.get('CallerIDNum'));
    call.queue = m.get('Queue');
    this.calls.set(call.callId, call);
    this.registerLeg(call, call.callerLeg, { callId: call.callId, role: 'caller' });
    return call;
  }

  /** The member's leg (Dest*): its seat from the queue member's Interface, e.g. PJSIP/2001 → 2001. */
  private seatLegOfMember(call: CallState, m: AmiMessage): { uid: string; seat?: string; agent?: string } {
    const uid = m.get('DestUniqueid') ?? m.get('DestChannel') ?? '';
    const seat = extensionOf(m.get('Interface') ?? m.get('DestChannel') ?? '');
    const agent = known(m.get('MemberName'));
    this.registerLeg(call, uid, { callId: call.callId, role: 'seat', seat, agent });
    return { uid, seat, agent };
  }

  /** A seat leg of the call: known as one, or a leg whose endpoint is a seat (a transfer's target). */
  private seatLeg(call: CallState, uid: string, channel: string | undefined): Leg | undefined {
    const leg = this.adoptLeg(call, uid, channel);
    return leg.role === 'seat' ? leg : undefined;
  }

  /** Registers a leg met in the call's events, its role told by what is known or by its endpoint. */
  private adoptLeg(call: CallState, uid: string, channel: string | undefined): Leg {
    const existing = this.legs.get(uid);
    if (existing) return existing;
    const endpoint = extensionOf(channel ?? '');
    const leg: Leg = uid === call.callerLeg ? { callId: call.callId, role: 'caller' }
      : this.isSeat(endpoint) ? { callId: call.callId, role: 'seat', seat: endpoint }
        : { callId: call.callId, role: 'other' };
    this.registerLeg(call, uid, leg);
    return leg;
  }

  private registerLeg(call: CallState, uid: string, leg: Leg): void {
    const before = this.legs.get(uid);
    this.legs.set(uid, { ...leg, agent: leg.agent ?? before?.agent });
    call.legs.add(uid);
  }

  private stitch(call: CallState, linkedid: string | undefined): void {
    if (!linkedid || linkedid === call.callId || this.calls.has(linkedid)) return;
    this.aliases.set(linkedid, call.callId);
    call.aliases.add(linkedid);
  }

  /** A leg's number for `joined`: a seat's extension, else its caller id unless that is the caller's or a seat's. */
  private numberOfLeg(m: AmiMessage, prefix: string, callerNumber?: string): string | undefined {
    const endpoint = extensionOf(m.get(`${prefix}Channel`) ?? '');
    if (this.isSeat(endpoint) || this.desks.has(endpoint)) return endpoint;
    const callerId = known(m.get(`${prefix}CallerIDNum`));
    const connected = known(m.get(`${prefix}ConnectedLineNum`));
    const callerIdIsOurs = callerId === undefined || callerId === callerNumber || this.isSeat(callerId);
    return callerIdIsOurs ? connected : callerId;
  }

  private isSeat(extension: string): boolean {
    return extension !== '' && !this.desks.has(extension) && this.seatExtension.test(extension);
  }

  /** Desk by the configured list, queue by the configured queue extensions, seat by the seat pattern; else outside. */
  private classify(extension: string): { kind: TransferKind; value: string } {
    if (this.desks.has(extension)) return { kind: 'desk', value: extension };
    if (this.queues.has(extension)) return { kind: 'queue', value: extension };
    if (this.isSeat(extension)) return { kind: 'seat', value: extension };
    return { kind: 'external', value: extension };
  }

  // --- events, time, memory -------------------------------------------------------------------

  private emit(call: CallState, m: AmiMessage, at: Moment, type: CallEventType, uid: string, fields: Partial<CallEvent>): CallEvent[] {
    if (call.endedAtMs !== undefined) return [];
    call.lastSeenMs = at.ms;
    const pbx = m.get('SystemName') ?? this.options.pbxName ?? DEFAULTS.pbxName;
    const id = `ami:${pbx}:${uid}:${type}:${at.stamp ?? `n${this.ordinal(call, `${uid}:${type}`)}`}`;
    const event: CallEvent = { id, callId: call.callId, type, at: at.iso, ...fields, recording: call.recording };
    return [withoutUndefined(event)];
  }

  private ordinal(call: CallState, key: string): number {
    const next = (call.ordinals.get(key) ?? 0) + 1;
    call.ordinals.set(key, next);
    return next;
  }

  /** `Timestamp: 1715680923.204511` (epoch, µs) → ms, exactly (no float rounding); else the injected clock. */
  private momentOf(m: AmiMessage): Moment {
    const stamp = m.get('Timestamp');
    const match = stamp ? /^(\d+)(?:\.(\d+))?$/.exec(stamp) : null;
    if (!match) {
      const now = this.now();
      return { iso: now.toISOString(), ms: now.getTime() };
    }
    const ms = Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0').slice(0, 3));
    return { iso: new Date(ms).toISOString(), ms, stamp };
  }

  /** Ended calls go after a grace period (late AgentComplete/BridgeLeave), silent ones after maxIdleMs, the oldest beyond maxCalls. */
  private sweep(nowMs: number): void {
    const maxCalls = this.options.maxCalls ?? DEFAULTS.maxCalls;
    if (Math.abs(nowMs - this.lastSweepMs) >= SWEEP_EVERY_MS) {
      this.lastSweepMs = nowMs;
      const grace = this.options.endedGraceMs ?? DEFAULTS.endedGraceMs;
      const idle = this.options.maxIdleMs ?? DEFAULTS.maxIdleMs;
      for (const call of this.calls.values()) {
        const endedLongAgo = call.endedAtMs !== undefined && nowMs - call.endedAtMs > grace;
        if (endedLongAgo || nowMs - call.lastSeenMs > idle) this.forget(call);
      }
    }
    for (const call of this.calls.values()) {
      if (this.calls.size <= maxCalls) break;
      this.forget(call);
    }
  }

  private forget(call: CallState): void {
    for (const uid of call.legs) this.legs.delete(uid);
    for (const alias of call.aliases) this.aliases.delete(alias);
    this.calls.delete(call.callId);
  }
}

export function createAmiTranslator(options: TranslatorOptions = {}): AmiTranslator {
  return new AmiTranslator(options);
}

function newCall(callId: string, callerLeg: string, ms: number): CallState {
  return {
    callId, callerLeg, legs: new Set(), aliases: new Set(), dialEnds: new Map(), transferred: false, departed: new Set(),
    callerAskedHangup: false, bridges: new Map(), joinedParties: new Set(), ordinals: new Map(), lastSeenMs: ms,
  };
}

/**
 * Who ended the call: AgentComplete's caller/agent for the seat still on it; else who left the
 * caller's last bridge first (the caller; a seat: agent; the outside party after a transfer:
 * transfer; anyone else: system); never bridged: the caller when their side asked for the hangup,
 * else system (queue timeout, dialplan Hangup()).
 */
function endReason(call: CallState): string {
  if (call.completeReason === 'caller' || call.completeReason === 'agent') return call.completeReason;
  if (call.firstLeaver === 'caller') return 'caller';
  if (call.firstLeaver === 'seat') return 'agent';
  if (call.firstLeaver === 'other') return call.transferred ? 'transfer' : 'system';
  if (call.queueExit) return 'system';
  return call.callerAskedHangup ? 'caller' : 'system';
}

/** DialEnd before AgentRingNoAnswer means the seat refused; none yet means app_queue's ring timeout. */
function notAnsweredReason(dialStatus: string | undefined): string {
  switch (dialStatus) {
    case 'BUSY': case 'CONGESTION': case 'CHANUNAVAIL': return 'busy';
    case 'NOANSWER': case 'CANCEL': return 'rejected';
    default: return 'timeout';
  }
}

/** `PJSIP/2001` → 2001, `PJSIP/2001-00000013` → 2001, `Local/2001@from-queue/n` → 2001. */
export function extensionOf(interfaceOrChannel: string): string {
  return /^[^/]+\/([^@/;-]+)/.exec(interfaceOrChannel)?.[1] ?? '';
}

/** AMI's placeholders for "no value" are not values. */
function known(value: string | undefined, ...placeholders: string[]): string | undefined {
  if (value === undefined || value === '' || value === '<unknown>' || placeholders.includes(value)) return undefined;
  return value;
}

function isText(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function withoutUndefined(event: CallEvent): CallEvent {
  return Object.fromEntries(Object.entries(event).filter(([, value]) => value !== undefined)) as unknown as CallEvent;
}
