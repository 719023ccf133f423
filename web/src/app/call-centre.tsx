// The call centre (话务), one menu entry, its tabs each at its own address so a reload keeps it. For
// those who watch it (team leads, supervisors, leaders, administrators): the seats' wall
// (/calls/wall, where they start), the service level (/calls/service-level), the agents' seat time
// (/calls/seat-time), the call records (/calls/records) and quality review (/calls/quality). For everyone else of the hotline: the call
// records and their own quality reviews (/calls/my-quality). It puts two features under one entry
// (a lead's menu is full at 1366 px), so it lives with the application's shell.
import { Spin, Tabs } from 'antd';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { CallsPage } from '../features/calls/calls-page';
import { WallPage } from '../features/calls/wall-page';
import { useSession } from './session';
import { CALL_CENTRE_ROLES } from './workspaces';

// the service level draws a chart: its code (ECharts) loads when its tab is first opened; quality
// review is its own feature, loaded when opened
const ServiceLevelPage = lazy(() => import('../features/calls/service-level-page').then((m) => ({ default: m.ServiceLevelPage })));
const SeatTimePage = lazy(() => import('../features/calls/seat-time-page').then((m) => ({ default: m.SeatTimePage })));
const QualityPage = lazy(() => import('../features/quality/quality-page').then((m) => ({ default: m.QualityPage })));
const MyQualityPage = lazy(() => import('../features/quality/my-quality-page').then((m) => ({ default: m.MyQualityPage })));

type Sections = Record<string, { page: ComponentType; label: string }>;
const WATCHERS: Sections = {
  wall: { page: WallPage, label: 'calls.sections.wall' },
  'service-level': { page: ServiceLevelPage, label: 'calls.sections.level' },
  'seat-time': { page: SeatTimePage, label: 'calls.sections.seatTime' },
  records: { page: CallsPage, label: 'calls.sections.records' },
  quality: { page: QualityPage, label: 'quality.section' },
};
const OTHERS: Sections = {
  records: { page: CallsPage, label: 'calls.sections.records' },
  'my-quality': { page: MyQualityPage, label: 'quality.mine' },
};

export function CallCentrePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { section } = useParams();
  const watcher = useSession().me?.roles.some((r) => CALL_CENTRE_ROLES.includes(r)) ?? false;
  const sections = watcher ? WATCHERS : OTHERS;
  if (!section || !(section in sections)) return <Navigate to={`/calls/${Object.keys(sections)[0]}`} replace />;
  const Current = sections[section]!.page;
  return (
    <>
      <Tabs activeKey={section} onChange={(key) => navigate(`/calls/${key}`)} style={{ marginTop: -12 }}
        items={Object.entries(sections).map(([key, s]) => ({ key, label: t(s.label) }))} />
      <Suspense fallback={<Spin />}><Current /></Suspense>
    </>
  );
}
