// The workspaces, each for the roles that hold it: the menu shows only what the user may do.
export interface Workspace {
  path: string;
  /** key of the menu label in the translations */
  label: 'intake' | 'dispatch' | 'inbox' | 'supervision' | 'visits' | 'orders' | 'callCentre' | 'warnings' | 'analytics' | 'assessment' | 'admin' | 'knowledge' | 'surveys';
  roles: readonly string[];
}

const HOTLINE = ['agent', 'lead', 'dispatcher', 'visitor', 'supervisor', 'leader', 'admin'];
const UNIT = ['unit_handler', 'unit_manager'];

/** Who handles the early warnings: the API's handlers (WARNING_HANDLERS in src/modules/analytics/warnings.ts). */
export const WARNING_HANDLER_ROLES: readonly string[] = ['supervisor', 'lead', 'leader', 'admin'];
/**
 * Who reads them: the whole hotline, as the API and the live stream have it. An agent or dispatcher
 * answering a caller about the incident sees it is in hand; the handlers above act on it.
 */
export const WARNINGS_READERS: readonly string[] = HOTLINE;

/**
 * Who watches the call centre (the seats' wall, the service level): the same roles as the API's
 * (src/modules/calls/routes.ts). They find it beside the call records, under one entry (话务): a
 * lead's menu is already nine entries, full at 1366 px.
 */
export const CALL_CENTRE_ROLES: readonly string[] = ['lead', 'supervisor', 'leader', 'admin'];

export const WORKSPACES: readonly Workspace[] = [
  { path: '/intake', label: 'intake', roles: ['agent', 'lead'] },
  { path: '/inbox', label: 'inbox', roles: UNIT },
  { path: '/supervision', label: 'supervision', roles: ['supervisor', 'lead'] },
  { path: '/dispatch', label: 'dispatch', roles: ['dispatcher', 'lead', 'supervisor'] },
  { path: '/visits', label: 'visits', roles: ['visitor', 'lead', 'supervisor'] },
  { path: '/analytics', label: 'analytics', roles: ['leader', 'supervisor', 'lead', 'admin', 'unit_manager'] },
  { path: '/orders', label: 'orders', roles: [...HOTLINE, ...UNIT] },
  { path: '/warnings', label: 'warnings', roles: WARNINGS_READERS },
  { path: '/assessment', label: 'assessment', roles: ['leader', 'supervisor', 'lead', 'admin', 'unit_manager'] },
  // 话务: the call records and quality review for all of the hotline, the wall and the service level
  // for those who watch it; after the warnings, which must stay in sight of a supervisor's menu at
  // 1366 px, before "…"
  { path: '/calls', label: 'callCentre', roles: HOTLINE },
  // 知识库: read by everyone, written by the units and the hotline
  { path: '/knowledge', label: 'knowledge', roles: [...HOTLINE, ...UNIT] },
  // 民意调查: run by leads and supervisors, read by leaders, agents call the respondents
  { path: '/surveys', label: 'surveys', roles: ['lead', 'supervisor', 'admin', 'leader', 'agent'] },
  { path: '/admin', label: 'admin', roles: ['admin'] },
];

/**
 * Who may open the leadership screen (/screen): the city's figures, opened from the analysis (not a
 * menu entry of its own: a supervisor's menu is full at 1366 px).
 */
export const SCREEN_ROLES: readonly string[] = ['leader', 'supervisor', 'lead', 'admin'];

export function workspacesOf(roles: readonly string[]): Workspace[] {
  const mine = WORKSPACES.filter((w) => w.roles.some((r) => roles.includes(r)));
  return mine.filter((w, i) => mine.findIndex((o) => o.path === w.path) === i);
}

/** Where a user starts: their first workspace. */
export function homeOf(roles: readonly string[]): string {
  return workspacesOf(roles)[0]?.path ?? '/orders';
}
