// The monthly and quarterly analysis report (月度、季度分析报告): pick a month or a quarter, read its
// findings here, download it as a PDF to print and send, or as a workbook to work on, in Chinese or
// English. The server writes both files from the same figures as this page.
import { Button, Card, DatePicker, Segmented, Select, Skeleton, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearchParams } from 'react-router';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingToday } from '../../../shared/format';
import { downloadReport, useReport } from '../api/analytics';

type Kind = 'month' | 'quarter';
type Lang = 'zh' | 'en';

/** A report's key (2026-11, 2026-Q4) as the pickers hold it; null when it is neither. */
function pickedOf(key: string | null): { kind: Kind; date: Dayjs } | null {
  const month = key && /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (month) return { kind: 'month', date: dayjs(`${month[1]}-${month[2]}-01`) };
  const quarter = key && /^(\d{4})-Q([1-4])$/.exec(key);
  return quarter ? { kind: 'quarter', date: dayjs(`${quarter[1]}-01-01`).month((Number(quarter[2]) - 1) * 3) } : null;
}

const keyOf = (kind: Kind, date: Dayjs) => (kind === 'month' ? date.format('YYYY-MM') : `${date.year()}-Q${Math.floor(date.month() / 3) + 1}`);

export function ReportCard() {
  const { t, i18n } = useTranslation();
  const language: Lang = i18n.language.startsWith('en') ? 'en' : 'zh';
  // a notice's link (?report=2026-11) opens that report here, each time it is followed
  const asked = useSearchParams()[0].get('report');
  const followed = useLocation().key;
  const [kind, setKind] = useState<Kind>(() => pickedOf(asked)?.kind ?? 'month');
  // else the report most wanted is the last whole month's
  const [date, setDate] = useState<Dayjs>(() => pickedOf(asked)?.date ?? beijingToday().subtract(1, 'month'));
  // the report's language is the interface's, switched with it, until the user picks one
  const [chosenLang, setLang] = useState<Lang | null>(null);
  const lang = chosenLang ?? language;
  const card = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const picked = pickedOf(asked);
    if (!picked) return;
    setKind(picked.kind);
    setDate(picked.date);
    card.current?.scrollIntoView({ block: 'start' });
  }, [asked, followed]);
  const [busy, setBusy] = useState<'pdf' | 'xlsx' | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const period = keyOf(kind, date);
  const report = useReport(period);
  const download = async (format: 'pdf' | 'xlsx') => {
    setBusy(format);
    setFailure(null);
    try {
      await downloadReport(period, format, lang);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(null);
    }
  };
  const shown = report.data?.period;
  return (
    <Card ref={card} size="small" title={t('analytics.report.title')} extra={
      <Space wrap>
        <Segmented<Kind> aria-label={t('analytics.report.kind')} value={kind} onChange={setKind}
          options={[{ value: 'month', label: t('analytics.report.month') }, { value: 'quarter', label: t('analytics.report.quarter') }]} />
        <DatePicker picker={kind} aria-label={t('analytics.report.period')} value={date} allowClear={false}
          format={kind === 'month' ? 'YYYY-MM' : 'YYYY-[Q]Q'} disabledDate={(d) => keyOf(kind, d) > keyOf(kind, beijingToday())} onChange={(d) => d && setDate(d)} />
        <Select<Lang> aria-label={t('analytics.report.language')} value={lang} onChange={setLang} style={{ width: 104 }}
          options={[{ value: 'zh', label: '中文' }, { value: 'en', label: 'English' }]} />
        {/* a period the server refuses (one not begun) has no file either: said once, below */}
        <Button type="primary" loading={busy === 'pdf'} disabled={!!report.error} onClick={() => void download('pdf')}>{t('analytics.report.pdf')}</Button>
        <Button loading={busy === 'xlsx'} disabled={!!report.error} onClick={() => void download('xlsx')}>{t('analytics.report.xlsx')}</Button>
      </Space>
    }>
      {failure && !report.error ? <ErrorNotice error={failure} /> : null}
      {report.error ? <ErrorNotice error={report.error} />
        : !report.data ? <Skeleton active title={false} paragraph={{ rows: 3 }} />
          : (
            <div aria-live="polite" aria-busy={report.isFetching}>
              <Typography.Text type="secondary">
                {t('analytics.report.span', { from: shown!.from, to: shown!.through })}{shown!.partial ? t('analytics.report.partial') : ''}
              </Typography.Text>
              <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
                {report.data.findings[language].map((line) => <li key={line}>{line}</li>)}
              </ul>
            </div>
          )}
    </Card>
  );
}
