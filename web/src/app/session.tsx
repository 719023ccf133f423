// Who is signed in: the session token (kept in the browser, so a reload keeps the session) and
// the caller as the API describes them. A 401 from any call ends the session here too.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, data, setToken, whenUnauthorized, type Answer } from '../shared/api/client';
import { WARNING_HANDLER_ROLES } from './workspaces';

const STORED = 'minsheng.session';
export type Me = Answer<'/api/v1/auth/me', 'get'>;

interface Session {
  me: Me | null;
  /** true until a stored session has been checked */
  checking: boolean;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * `onSession` is told of each session as it becomes known (signed in, or a stored one checked),
 * before anything is drawn for it: the page it opens on can start fetching its data at once.
 */
export function SessionProvider({ children, onSession }: { children: ReactNode; onSession?: (me: Me) => void }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => localStorage.getItem(STORED) !== null);

  const forget = useCallback(() => {
    localStorage.removeItem(STORED);
    setToken(null);
    setMe(null);
  }, []);

  const start = useCallback((known: Me) => {
    onSession?.(known);
    setMe(known);
  }, [onSession]);

  const load = useCallback(async () => {
    start(data(await api.GET('/api/v1/auth/me')));
  }, [start]);

  useEffect(() => {
    whenUnauthorized(forget);
    const stored = localStorage.getItem(STORED);
    if (!stored) return;
    setToken(stored);
    load().catch(forget).finally(() => setChecking(false));
  }, [forget, load]);

  const value = useMemo<Session>(() => ({
    me,
    checking,
    async signIn(username, password) {
      const { token, me: signedIn } = data(await api.POST('/api/v1/auth/login', { body: { username, password } }));
      localStorage.setItem(STORED, token);
      setToken(token);
      start(signedIn);
    },
    async signOut() {
      await api.POST('/api/v1/auth/logout').catch(() => undefined);
      forget();
    },
  }), [me, checking, start, forget]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Whether the signed-in user acknowledges and closes early warnings (the rest of the hotline reads them). */
export function useCanHandleWarnings(): boolean {
  return useHasRole(...WARNING_HANDLER_ROLES);
}

/** Whether the signed-in user holds one of the roles. */
export function useHasRole(...roles: string[]): boolean {
  const { me } = useSession();
  return !!me && me.roles.some((r: string) => roles.includes(r));
}
