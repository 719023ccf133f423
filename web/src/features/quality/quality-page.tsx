// Quality review (质检), under 话务 for those who watch the call centre: the month's samples (drawn by
// team leads, who score them), each agent's scores, and the scoring sheets.
import { Card, Segmented, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { monthsUpTo, thisMonth } from '../../shared/format';
import { ReviewsView } from './components/reviews-view';
import { ScoresView } from './components/scores-view';
import { SheetsView } from './components/sheets-view';

const VIEWS = { reviews: ReviewsView, scores: ScoresView, sheets: SheetsView } as const;
type View = keyof typeof VIEWS;

export function QualityPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(thisMonth);
  const [view, setView] = useState<View>('reviews');
  const Current = VIEWS[view];
  return (
    <Card title={t('quality.section')}>
      <Typography.Paragraph type="secondary">{t('quality.hint')}</Typography.Paragraph>
      <Space wrap size="large" style={{ marginBottom: 16 }}>
        <Segmented aria-label={t('quality.section')} value={view} onChange={(v) => setView(v as View)}
          options={(Object.keys(VIEWS) as View[]).map((v) => ({ value: v, label: t(`quality.views.${v}`) }))} />
        {view !== 'sheets' && <MonthSelect month={month} onChange={setMonth} />}
      </Space>
      <Current month={month} />
    </Card>
  );
}

export function MonthSelect({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  const { t } = useTranslation();
  return (
    <label>{t('quality.month')}{' '}
      <Select aria-label={t('quality.month')} value={month} onChange={onChange} style={{ width: 120 }}
        options={monthsUpTo(thisMonth(), 24).reverse().map((m) => ({ value: m, label: m }))} />
    </label>
  );
}
