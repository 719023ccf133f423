// The call centre (话务), one menu entry: for those who watch it (team leads, supervisors, leaders,
// administrators) three tabs, each at its own address so a reload keeps it: the seats' wall
// (/calls/wall, where they start), the service level (/calls/service-level) and the call records
// (/calls/records); for everyone else the call records alone (/calls).
import { Spin, Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useSession } from '../../app/session';
import { CALL_CENTRE_ROLES } from '../../app/workspaces';
import { CallsPage } from './calls-page';
import { WallPage } from './wall-page';

// the service level draws a chart: its code (ECharts) loads when its tab is first opened
const ServiceLevelPage = lazy(() => import('./service-level-page').then((m) => ({ default: m.ServiceLevelPage })));

const SECTIONS = { wall: WallPage, 'service-level': ServiceLevelPage, records: CallsPage } as const;
type Section = keyof typeof SECTIONS;
const LABELS: Record<Section, string> = { wall: 'calls.sections.wall', 'service-level': 'calls.sections.level', records: 'calls.sections.records' };

export function CallCentrePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { section } = useParams();
  const watcher = useSession().me?.roles.some((r) => CALL_CENTRE_ROLES.includes(r)) ?? false;
  if (!watcher) return section ? <Navigate to="/calls" replace /> : <CallsPage />;
  if (!section || !(section in SECTIONS)) return <Navigate to="/calls/wall" replace />;
  const Current = SECTIONS[section as Section];
  return (
    <>
      <Tabs activeKey={section} onChange={(key) => navigate(`/calls/${key}`)} style={{ marginTop: -12 }}
        items={(Object.keys(SECTIONS) as Section[]).map((key) => ({ key, label: t(LABELS[key]) }))} />
      <Suspense fallback={<Spin />}><Current /></Suspense>
    </>
  );
}
