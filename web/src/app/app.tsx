// The providers (server state, the component library in the user's language, the session) and the
// routes: the sign-in page for a stranger, the workspaces of their roles for a signed-in user.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { lazy, Suspense, useEffect, type ReactElement } from 'react';
import { prefetchIntake } from '../features/intake/api/landing';
import { SignInPage } from '../features/signin/sign-in-page';
import { Shell } from './shell';
import { SessionProvider, useHasRole, useSession, type Me } from './session';
import { homeOf, SCREEN_ROLES, WARNINGS_READERS } from './workspaces';

// each workspace is loaded when first opened: a user downloads the code of their own work only
const load = {
  intake: () => import('../features/intake/intake-page'),
  inbox: () => import('../features/inbox/inbox-page'),
};
const IntakePage = lazy(() => load.intake().then((m) => ({ default: m.IntakePage })));
const InboxPage = lazy(() => load.inbox().then((m) => ({ default: m.InboxPage })));
const OrderListPage = lazy(() => import('../features/orders/order-list-page').then((m) => ({ default: m.OrderListPage })));
const DispatchPage = lazy(() => import('../features/dispatch/dispatch-page').then((m) => ({ default: m.DispatchPage })));
const SupervisionPage = lazy(() => import('../features/supervision/supervision-page').then((m) => ({ default: m.SupervisionPage })));
const VisitsPage = lazy(() => import('../features/visits/visits-page').then((m) => ({ default: m.VisitsPage })));
const AssessmentPage = lazy(() => import('../features/assessment/assessment-page').then((m) => ({ default: m.AssessmentPage })));
const CallCentrePage = lazy(() => import('./call-centre').then((m) => ({ default: m.CallCentrePage })));
const WarningsPage = lazy(() => import('../features/warnings/warnings-page').then((m) => ({ default: m.WarningsPage })));
const AnalyticsPage = lazy(() => import('../features/analytics/analytics-page').then((m) => ({ default: m.AnalyticsPage })));
const ScreenPage = lazy(() => import('../features/analytics/screen/screen-page').then((m) => ({ default: m.ScreenPage })));
const AdminPage = lazy(() => import('../features/admin/admin-page').then((m) => ({ default: m.AdminPage })));
const KnowledgePage = lazy(() => import('../features/knowledge/knowledge-page').then((m) => ({ default: m.KnowledgePage })));
const SurveysPage = lazy(() => import('../features/surveys/surveys-page').then((m) => ({ default: m.SurveysPage })));
const PortalPage = lazy(() => import('../features/portal/portal-page').then((m) => ({ default: m.PortalPage })));
const OrderDetailPage = lazy(() => import('../features/orders/order-detail-page').then((m) => ({ default: m.OrderDetailPage })));

/**
 * While the sign-in page waits for a name and password, the code of the two workspaces most people
 * start in (the agents' form, the units' inbox) is fetched, once the page is drawn: it is there
 * when they sign in (30 KB, not worth waiting for an idle moment that a quick typist never leaves).
 */
function usePrefetchWorkspaces(when: boolean) {
  useEffect(() => {
    if (!when) return;
    const id = setTimeout(() => { void load.intake(); void load.inbox(); }, 0);
    return () => clearTimeout(id);
  }, [when]);
}

const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } } });

/**
 * The moment a session is known, the data of the page it opens on starts loading with its code,
 * before the shell and the page are drawn, and before the shell's own requests (the agents' form:
 * its category tree, request types and recent orders).
 */
function prefetchLanding(me: Me) {
  const { pathname } = window.location;
  const landing = pathname === '/' ? homeOf(me.roles) : pathname;
  if (landing === '/intake') prefetchIntake(queryClient);
}

/** The citizen portal's pages: public, whoever is signed in on this browser. */
const onPortal = (pathname: string) => pathname === '/portal' || pathname.startsWith('/portal/');

/** A page kept for some roles, typed in by another: back to their own start (a unit's staff to their inbox). */
function ForRoles({ roles, children }: { roles: readonly string[]; children: ReactElement }) {
  return useHasRole(...roles) ? children : <Navigate to="/" replace />;
}

function Routed() {
  const { me, checking } = useSession();
  const { pathname } = useLocation();
  const portal = onPortal(pathname);
  usePrefetchWorkspaces(!checking && !me && !portal);
  if (portal) return <Suspense fallback={<Spin fullscreen />}><Routes><Route path="/portal/*" element={<PortalPage />} /></Routes></Suspense>;
  if (checking) return <Spin fullscreen />;
  if (!me) return <SignInPage />;
  return (
    <Suspense fallback={<Spin fullscreen />}>
    <Routes>
      <Route element={<Shell />}>
        <Route index element={<Navigate to={homeOf(me.roles)} replace />} />
        <Route path="intake" element={<IntakePage />} />
        <Route path="inbox" element={<InboxPage />} />
        <Route path="supervision" element={<SupervisionPage />} />
        <Route path="dispatch" element={<DispatchPage />} />
        <Route path="visits" element={<VisitsPage />} />
        <Route path="orders" element={<OrderListPage />} />
        <Route path="orders/:id" element={<OrderDetailPage />} />
        <Route path="calls/:section?" element={<CallCentrePage />} />
        <Route path="warnings" element={<ForRoles roles={WARNINGS_READERS}><WarningsPage /></ForRoles>} />
        <Route path="analytics" element={<AnalyticsPage />} />
        <Route path="screen" element={<ForRoles roles={SCREEN_ROLES}><ScreenPage /></ForRoles>} />
        <Route path="assessment" element={<AssessmentPage />} />
        <Route path="knowledge/:section?" element={<KnowledgePage />} />
        <Route path="surveys" element={<SurveysPage />} />
        <Route path="admin/:section?" element={<AdminPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
    </Suspense>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ zeroRuntime: true, token: { colorPrimary: '#1d4ed8', colorLink: '#1d4ed8', colorTextSecondary: '#4b5563', colorTextTertiary: '#4b5563', colorTextDescription: '#4b5563',
      // antd's placeholder grey and danger red are too pale for WCAG AA (4.5:1) on white
      colorTextPlaceholder: '#6b7280', colorError: '#b91c1c' } }} button={{ autoInsertSpace: false }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <SessionProvider onSession={prefetchLanding}>
            <BrowserRouter>
              <Routed />
            </BrowserRouter>
          </SessionProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
