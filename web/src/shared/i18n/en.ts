// English: every key of zh.ts, as its type requires.
import type { zh } from './zh';
import { adminEn } from '../../features/admin/texts';
import { portalEn } from '../../features/portal/texts';
import { warningsEn } from '../../features/warnings/texts';
import { callsEn } from '../../features/calls/texts';
import { qualityEn } from '../../features/quality/texts';
import { knowledgeEn } from '../../features/knowledge/texts';
import { surveysEn } from '../../features/surveys/texts';
import { analyticsEn } from '../../features/analytics/texts';
import { screenEn } from '../../features/analytics/screen/texts';

export type Texts<T> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

export const en: Texts<typeof zh> = {
  admin: adminEn,
  portal: portalEn,
  warnings: warningsEn,
  calls: callsEn,
  quality: qualityEn,
  knowledge: knowledgeEn,
  surveys: surveysEn,
  analytics: analyticsEn,
  screen: screenEn,
  app: { name: 'Minsheng · 12345 citizen hotline', signOut: 'Sign out', language: '中文', notFound: 'No such page', home: 'Back to the start' },
  menu: { dispatch: 'Dispatch', intake: 'Intake', inbox: 'Unit inbox', supervision: 'Supervision', visits: 'Return visits', orders: 'Orders', calls: 'Calls', callCentre: 'Call centre', assessment: 'Assessment', admin: 'Administration', warnings: 'Early warnings', analytics: 'Analysis', screen: 'Screen', knowledge: 'Knowledge', surveys: 'Surveys' },
  units: { searchHint: 'Type a unit\'s name', none: 'No such unit', leadNotCo: 'The lead unit cannot also be a co-handler' },
  channels: { phone: 'Phone', sms: 'SMS', web: 'Web (mayor\'s mailbox)', weibo: 'Weibo', wechat: 'WeChat', app: 'Mobile app', api: 'API', open311: 'Open311' },
  dispatchQueue: { hint: 'Orders registered and not yet dispatched or answered, the longest waiting first; new ones appear by themselves.', empty: 'No order is waiting to be dispatched', emptyHint: 'Orders the agents register appear here by themselves', waited: 'Waiting', minutes: '{{count}} min', hours: '{{hours}} h {{minutes}} min' },
  visits: {
    queue: 'To call', toConfirm: 'To confirm (unsolved or unsatisfied)', call: 'Number to call', answer: 'The answer given', attempts: 'Calls',
    record: 'Record the answer', unreached: 'Not reached', decide: 'Decide', decision: 'Decision', comment: "Citizen's comment",
    hotline: 'Answered at the hotline', recorded: 'Recorded', empty: 'Nobody to call back now', noneToConfirm: 'No visit result to confirm',
    script: 'Hello, this is the 12345 hotline. {{unit}} handled your request and answered: "{{answer}}". Is the problem solved? Are you satisfied, basically satisfied or unsatisfied?',
  },
  supervision: {
    overdueOrders: 'Overdue', warnedOrders: 'Warned', extensions: 'Extension requests', returns: 'Returns to arbitrate', units: 'By unit',
    deadline: 'Deadline', sign: 'Sign', reply: 'Reply', close: 'Close', requestedAt: 'Asked', active: 'In hand', warning: 'Warned', overdue: 'Overdue',
    extensionPending: 'Extensions asked', noOverdue: 'No overdue order', noWarnings: 'No warned order', nothingToDecide: 'Nothing to decide',
  },
  intake: { unitByChoice: 'The unit routing gives the chosen category and place',  placeHint: 'Type a district, street or community', noPlace: 'No such place',  choices: 'Choose', similar: 'Similar orders (last year)', similarHint: 'Type the request: similar orders appear here, a repeated call or an answer to reuse', mine: 'My recent orders', noneYet: 'You have not registered an order yet',  dispatch: 'Register and dispatch', answer: 'Answer directly', registerOnly: 'Register only', answerText: 'Answer (when answering directly)', answerNeeded: 'Answering directly needs the answer', noUnit: 'No unit to dispatch to: choose one on the order', unitHint: 'Left empty: the unit routing suggests for the category and place', history: 'Earlier calls', firstCall: 'First call from this number', earlier: '{{count}} earlier orders, {{open}} still open',
    warningsHere: 'An early warning is in hand at this place', warningHere: '{{place}} · {{matter}} · {{reports}} reports so far, the first at {{first}}', warningOrder: 'The order that raised it',
    warningHint: 'A call about the same incident: tell the caller it is in hand; once registered, it can be merged into an earlier order on its page.' },
  assessment: {
    month: 'Month', level: 'Level', group: 'Within', export: 'Export to Excel', exported: 'Exported {{file}}', rank: 'Rank', unit: 'Unit', score: 'Score',
    empty: 'No order was dispatched to a unit this month: the assessment counts from the dispatch', noRate: 'nothing to count',
    scores: 'Scores: {{group}}', trend: '{{unit}}, the last six months', trendHint: 'Click a unit in the table to see how it changed',
    ordersBehind: '{{unit}} · {{figure}}', weights: 'Weights: response {{response}} · on-time reply {{onTimeReply}} · resolution {{resolution}} · satisfaction {{satisfaction}}',
    chartScores: 'Scores of {{group}}; first: {{first}} ({{score}})', chartTrend: 'Score and rates of {{unit}} over the last six months',
    levels: { leader: 'City leaders', department: 'City departments', district: 'Districts', street: 'Streets and towns', community: 'Communities', hotline: 'Hotline' },
    rates: { responseRate: 'Response', onTimeReplyRate: 'On-time reply', resolutionRate: 'Resolution', satisfactionRate: 'Satisfaction' },
    figures: {
      received: 'Received', returnUpheld: 'Returns upheld', returnRejected: 'Returns rejected', accountable: 'Accountable', signedOnTime: 'Signed on time',
      replied: 'Replied', repliedOnTime: 'Replied on time', overdue: 'Overdue', extended: 'Extended', paused: 'Paused', urged: 'Urged', escalated: 'Escalated',
      reopened: 'Reopened', visited: 'Visits reached', unreachable: 'Not reached', solved: 'Solved', satisfied: 'Satisfied',
      basicallySatisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied',
    },
    round: 'Round', startedAt: 'Dispatched', signedAt: 'Signed', repliedAt: 'Replied', replyDueAt: 'Reply due', visit: 'Visit result',
  },
  seat: {
    label: 'Seat', at: 'Seat {{seat}}', extension: 'Extension', signIn: 'Sign in to seat', signOut: 'Sign out', state: 'Seat state', since: 'since {{time}}',
    states: { ready: 'Ready', not_ready: 'Not ready', after_call_work: 'After-call work', signed_out: 'Signed out' }, notReadyFor: 'Not ready · {{reason}}',
    reasons: { break: 'break', meal: 'meal', training: 'training', meeting: 'meeting' }, extensionInvalid: 'Type the extension (digits or letters)',
  },
  callPop: {
    title: 'Call', talking: 'Talking', ended: 'Hung up', endedHint: 'The caller has hung up: the form stays, finish the registration.', withheld: 'Number withheld', seat: 'Seat {{seat}}',
    days30: 'Last 30 days', days365: 'Last year', all: 'In all', atLeast: 'more than {{count}}', open: 'Open', dissatisfied: 'Dissatisfied before', items: '{{count}}',
    confidential: 'Confidential: this caller asked to keep {{count}} earlier requests confidential', confidentialHint: 'Tell nobody who they are or what they asked; ask whether this request is confidential too.',
    latest: 'Latest requests', firstCall: 'No earlier request: a first call', close: 'Close', linked: 'The order you register is linked to this call',
    broughtHere: 'Call answered: the intake form is open',
  },
  shortcuts: {
    title: 'Keyboard shortcuts', keys: 'Keys', what: 'Does', search: "Go to the page's search box", dispatch: 'Intake: register and dispatch',
    answer: 'Intake: register and answer directly', close: 'Close a dialog or a list', help: 'Show this list',
  },
  notices: { title: 'Notices', unread: 'Notices, {{count}} unread', none: 'No unread notice', markRead: 'Mark read', report: 'Analysis report {{period}}', quality: 'My quality reviews {{month}}' },
  deadline: { on_time: 'On time', warning: 'Due soon', overdue: 'Overdue', paused: 'Clock paused', met: 'Met on time', metLate: 'Met late', notMet: 'Not met', due: 'due {{at}}', metAt: 'met {{at}}' },
  rounds: {
    title: 'Rounds and deadlines', round: 'Round', dispatch: 'Round {{n}} · dispatch', reopen: 'Round {{n}} · reopened', startedAt: 'Started', notes: 'Notes',
    extended: 'Extended by {{days}} working days', paused: 'Clock paused since {{at}}', returned: 'Returned {{at}}', urged: 'Urged {{count}} times',
    escalated: 'Escalated {{at}}', hours: 'Counted in hours (urgent)',
  },
  insight: {
    suggestion: "The classifier's suggestion", similar: 'Similar orders', confidence: 'confidence {{p}}', lowConfidence: 'Low confidence: check by hand',
    evidence: 'Evidence', alternatives: 'Other possible categories', choice: "The agent's choice", accepted: 'Accepted', corrected: 'Changed to {{chosen}}',
    notDecided: 'Not dispatched or answered yet', noSuggestion: 'No suggestion was made when this order was registered',
    noSimilar: 'No similar order in the last year', shared: 'Shared words: {{terms}}',
    likelyDuplicate: 'Likely duplicate', mergeInto: 'Merge into this one', mergeConfirm: 'Merge this order into {{no}} as a duplicate? That order is handled for both; this citizen is told its outcome.',
    mergeTarget: 'Merge into', mergeTargetHint: 'Pick a similar order, or type a tracking number',
    citizen: "The citizen's history", citizenCounts: '{{d30}} in 30 days · {{d90}} in 90 days · {{d365}} in a year · {{all}} in all (this one included), {{open}} not closed',
    citizenKnownBy: 'Recognised by', citizenChannels: 'Channels', citizenChannelCount: '{{channel}} {{count}}', citizenChannelJoin: '; ', citizenPhone: 'Phone {{phone}}', citizenIdentity: '{{channel}} account', citizenNone: 'No other request of this citizen',
    citizenUnknown: 'Nothing identifies the citizen of this order (no phone, no channel account)', citizenHidden: 'A confidential request: its citizen and their history are not shown to you',
    citizenSharedPhone: 'This number is used by several accounts (a switchboard, a shop): it identifies no one', citizenNotListed: 'Their other requests are listed only for roles that see citizens in full',
  },
  events: {
    registered: 'Registered', updated: 'Corrected', dispatched: 'Dispatched', answered_directly: 'Answered directly',
    signed: 'Signed for', returned: 'Returned', return_rejected: 'Return rejected', passed_down: 'Passed down',
    extension_requested: 'Extension requested', extension_approved: 'Extension approved', extension_denied: 'Extension denied',
    clock_paused: 'Clock paused', clock_resumed: 'Clock resumed', co_replied: 'Co-handler replied', replied: 'Replied',
    visit_attempted: 'Visit: not reached', visit_recorded: 'Sampled visit (answered directly)', supplemented: 'Citizen added', visited: 'Visited', closed: 'Closed',
    reopened: 'Reopened', urged: 'Urged', escalated: 'Escalated', deadline_warning: 'Deadline warning',
    overdue: 'Overdue', merged: 'Merged', duplicate_merged: 'Duplicate merged in', cancelled: 'Cancelled',
    archived: 'Archived',
  },
  signin: {
    title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in',
    usernameRequired: 'Enter your username', passwordRequired: 'Enter your password',
  },
  common: { total: '{{count}} in all', totalAtLeast: 'more than {{count}}', loading: 'Loading…', retry: 'Retry', submit: 'Submit', cancel: 'Cancel', search: 'Search', all: 'All' },
  messages: {
    title: 'Told to the citizen',
    kind: { intake: 'Tracking number', reply: 'Reply notice', survey: 'Satisfaction survey' },
    status: { pending: 'waiting', sending: 'sending', sent: 'sent', failed: 'failed', unknown: 'outcome unknown (not resent)', expired: 'expired unsent' },
    answered: 'the citizen answered {{at}}',
  },
  order: {
    coUnits: 'Co-handling units', coHint: 'Optional: units that handle it with the lead unit',
    attachments: 'Attachments', download: 'Download {{name}}', trackingNo: 'Tracking no.', title: 'Title', body: 'Request', state: 'State', leadUnit: 'Handling unit', createdAt: 'Registered', channel: 'Channel',
    requestType: 'Type', category: 'Category', citizen: 'Citizen', phone: 'Phone', address: 'Address', place: 'Place', urgency: 'Urgency',
    confidential: 'Confidential', timeline: 'History', noTimeline: 'This order was loaded with earlier records: its steps were not recorded one by one.', supplementImage: "The citizen's photo", supplementPlace: "The citizen's place", actions: 'What you can do', noActions: 'Nothing for you to do on this order now',
    reason: 'Reason', text: 'Text', unit: 'Unit', days: 'Extra working days', solved: 'Solved', satisfaction: 'Satisfaction', done: 'Done: {{action}}',
    notFound: 'No such order, or not one you may see', urgent: 'Urgent', normal: 'Normal', deadlines: 'Deadlines',
  },
  list: {
    drill: '{{place}} · {{from}} to {{to}}', drillInvalid: "This link's filter cannot be read: no order is listed", drillClear: 'All orders',
    search: 'Title, text or tracking no.', phone: 'Caller number (or its last 4 digits)', open: 'Open', closed: 'Closed', empty: 'No order matches',
    emptyHint: 'Try other words, or clear the filters', inboxNone: 'No order is “{{status}}”', inboxNoneHint: 'Choose “All” to see every order the unit has in hand', inboxEmpty: 'Nothing waiting', inboxHint: 'Orders dispatched to your unit appear here by themselves',
  },
  satisfaction: { satisfied: 'Satisfied', basically_satisfied: 'Basically satisfied', unsatisfied: 'Unsatisfied' },
  states: {
    registered: 'Registered', dispatched: 'Dispatched', signed: 'Signed for', returned: 'Returned', replied: 'Replied', visited: 'Visited',
    closed: 'Closed', merged: 'Merged', cancelled: 'Cancelled', archived: 'Archived',
  },
  actions: {
    answer_directly: 'Answer directly', dispatch: 'Dispatch', sign: 'Sign for', return: 'Return', reject_return: 'Reject the return', pass_down: 'Pass down',
    request_extension: 'Request an extension', approve_extension: 'Approve the extension', deny_extension: 'Deny the extension', pause_clock: 'Pause the clock',
    resume_clock: 'Resume the clock', co_reply: 'Co-reply', reply: 'Reply', return_visit: 'Return visit', close: 'Close', reopen: 'Reopen', urge: 'Urge',
    escalate: 'Escalate', merge: 'Merge', cancel: 'Cancel', archive: 'Archive',
  },
};
