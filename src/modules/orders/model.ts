// Types of the orders module: what is registered, what is shown, what an action carries.
import type { PressingDeadline } from '../sla/index.js';
import type { RequestType } from '../taxonomy/index.js';
import type { OrderAction, OrderState } from './rules.js';

/** A channel's code, one of the channels table's rows (the channels module): `phone`, `web`, `sms`… */
export type Channel = string;
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export { SATISFACTION, type Satisfaction } from '../feedback/index.js';
import type { Satisfaction } from '../feedback/index.js';

export interface Attachment {
  name: string;
  contentType: string;
  /** bytes */
  size: number;
  /** where the file is kept (object store URL or key); files themselves are not stored here */
  url?: string | undefined;
}

export interface RegisterOrderInput {
  channel: Channel;
  /** the message's id on its channel: a retry with the same id returns the first order */
  channelRef?: string | undefined;
  /** the call (the telephony's id) during which an agent registered it: the call's record links to it */
  callId?: string | undefined;
  requestType: RequestType;
  /** category code in the current tree version */
  categoryCode?: string | undefined;
  title: string;
  body: string;
  citizen?: {
    name?: string | undefined; phone?: string | undefined; address?: string | undefined;
    /** who wrote, on a channel that knows citizens by an identity of its own: wechat:<openid>, weibo:<uid>, app:<account id> */
    identity?: string | undefined;
    /** the citizen asked not to be called back: no return visit */
    noCallback?: boolean | undefined;
  } | undefined;
  confidential?: boolean | undefined;
  location?: { address?: string | undefined; areaCode?: string | undefined; lat?: number | undefined; lng?: number | undefined } | undefined;
  urgency?: Urgency | undefined;
  attachments?: Attachment[] | undefined;
}

/** Editable while the order is at the hotline (registered or returned). */
export interface UpdateOrderInput {
  expectedVersion?: number | undefined;
  requestType?: RequestType | undefined;
  categoryCode?: string | undefined;
  title?: string | undefined;
  body?: string | undefined;
  urgency?: Urgency | undefined;
  location?: RegisterOrderInput['location'];
}

export interface TransitionInput {
  /** the order version the client saw; a stale one is refused with ORDER_VERSION_CONFLICT */
  expectedVersion?: number | undefined;
  reason?: string | undefined;
  /** reply, direct answer, co-handler's opinion, urge note, close note */
  text?: string | undefined;
  /** direct answer: the knowledge article the answer rests on */
  articleId?: string | undefined;
  /** dispatch / pass down / reopen: the (lead) unit */
  unitId?: string | undefined;
  /** dispatch: co-handling units */
  coUnitIds?: string[] | undefined;
  /** merge: the order this one duplicates */
  targetOrderId?: string | undefined;
  /** extension: working days requested or granted */
  days?: number | undefined;
  /** return visit: false when the citizen could not be reached */
  reached?: boolean | undefined;
  /** return visit */
  solved?: boolean | undefined;
  satisfaction?: Satisfaction | undefined;
}

/** How much of the citizen's personal data the viewer gets. */
export type PersonalDataVisibility = 'full' | 'masked' | 'hidden';

export interface OrderView {
  id: string;
  trackingNo: string;
  cityCode: string;
  channel: Channel;
  requestType: RequestType;
  /** the request type's name, 投诉 / complaint */
  requestTypeLabel: { zh: string; en: string };
  category: { id: number; code: string; name: string; version: number } | null;
  title: string;
  body: string;
  citizen: { name: string | null; phone: string | null; address: string | null; visibility: PersonalDataVisibility };
  confidential: boolean;
  location: { address: string | null; areaCode: string | null; areaName: string | null; lat: number | null; lng: number | null };
  urgency: Urgency;
  attachments: Attachment[];
  state: OrderState;
  stateGroup: 'open' | 'closed';
  version: number;
  leadUnit: { id: string; code: string; name: string } | null;
  extensionPending: boolean;
  /** the unit paused the deadline clock (waiting for the citizen) */
  clockPaused: boolean;
  /** the citizen asked not to be called back */
  noCallback: boolean;
  reopenCount: number;
  urgeCount: number;
  escalated: boolean;
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** what the classifier suggests (category, request type, units, signals, similar orders): on registration and text change */
  suggestions?: unknown;
}

export interface OrderEvent {
  seq: number;
  type: string;
  at: string;
  actor: { kind: string; id: string | null; name: string | null; role: string | null; unitId: string | null; unitName: string | null };
  fromState: string | null;
  toState: string;
  reason: string | null;
  payload: Record<string, unknown>;
}

export interface Assignment {
  id: number;
  unitId: string;
  unitName: string;
  role: 'lead' | 'co';
  status: 'active' | 'returned' | 'passed_down' | 'done' | 'withdrawn';
  parentAssignmentId: number | null;
  assignedAt: string;
  endedAt: string | null;
}

export interface OrderDetail extends OrderView {
  assignments: Assignment[];
  events: OrderEvent[];
  /** the actions the reader may take now (availableActions) */
  actions: OrderAction[];
}

/** An order in a unit's inbox, with the deadline that presses now (null: no active round). */
export interface InboxOrder extends OrderView {
  deadline: PressingDeadline | null;
}

export type { OrderAction, OrderState };
