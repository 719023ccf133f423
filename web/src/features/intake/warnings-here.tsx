// The early warnings in hand where the caller is (突发预警): a burst of one matter from one community
// that the hotline already knows of. The agent sees it as the place is chosen (a street or a
// community: a district is too wide to tell), so that the next caller hears it is known and in
// hand, and their request can be merged into the order that raised the warning. The list follows
// the live stream (a warning raised, joined or closed reads it again).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Alert, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, data } from '../../shared/api/client';
import { useFormatTime } from '../../shared/format';
import { placeOf } from '../../shared/warnings/warning-drawer';

const openWarningsQuery = queryOptions({
  queryKey: ['warnings', 'in-hand'],
  queryFn: async () => data(await api.GET('/api/v1/warnings', { params: { query: { status: ['open', 'acknowledged'], limit: 50 } } })),
});

/** Area codes: a district's 6 digits, a street's 9, a community's 12. */
const STREET_DIGITS = 9;

/** A warning's place and the chosen street or community are the same, or one holds the other. */
const near = (warned: string, chosen: string) => warned.startsWith(chosen) || chosen.startsWith(warned);

export function WarningsHere({ areaCode }: { areaCode?: string }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  // asked only once a street or community is chosen
  const chosen = areaCode && areaCode.length >= STREET_DIGITS ? areaCode : null;
  const warnings = useQuery({ ...openWarningsQuery, enabled: chosen !== null });
  const here = chosen ? (warnings.data?.items ?? []).filter((w) => near(w.area.code, chosen)) : [];
  if (here.length === 0) return null;
  return (
    <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('intake.warningsHere')}
      description={
        <Space direction="vertical" size={2}>
          {here.map((w) => (
            <Typography.Text key={w.id}>
              {t('intake.warningHere', { place: placeOf(w), matter: w.category.name, reports: w.reports, first: when(w.firstReportAt) })}{' '}
              <Link to={`/orders/${w.crossingOrderId}`} target="_blank" style={{ textDecoration: 'underline' }}>{t('intake.warningOrder')}</Link>
            </Typography.Text>
          ))}
          <Typography.Text type="secondary">{t('intake.warningHint')}</Typography.Text>
        </Space>
      } />
  );
}
