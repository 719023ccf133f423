// The holiday calendar (节假日): the years loaded and where each came from, a year's days off and
// make-up working days (调休) by holiday, loading or replacing a year, and a working-day calculator.
import { Button, Card, Col, Empty, Row, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingDate, localeOf, useFormatTime } from '../../../shared/format';
import { useCalendarYear, useCalendarYears, type CalendarYear } from './calendar-api';
import { CalendarLoad } from './calendar-load';
import { WorkingDays } from './working-days';

interface Holiday { name: string; off: string[]; work: string[] }

/** The year's days by holiday, in the order of the year. */
function byHoliday(year: CalendarYear): Holiday[] {
  const groups = new Map<string, Holiday>();
  const group = (name: string) => groups.get(name) ?? groups.set(name, { name, off: [], work: [] }).get(name)!;
  for (const d of [...year.holidays].sort((a, b) => a.date.localeCompare(b.date))) group(d.name).off.push(d.date);
  for (const d of [...year.workdays].sort((a, b) => a.date.localeCompare(b.date))) group(d.name).work.push(d.date);
  return [...groups.values()].sort((a, b) => (a.off[0] ?? a.work[0]!).localeCompare(b.off[0] ?? b.work[0]!));
}

function useFormatDay(): (date: string) => string {
  const { i18n } = useTranslation();
  return (date) => new Date(`${date}T00:00:00`).toLocaleDateString(localeOf(i18n.language),
    { month: 'short', day: 'numeric', weekday: 'short' });
}

function YearDays({ year }: { year: CalendarYear }) {
  const { t } = useTranslation();
  const day = useFormatDay();
  const c = 'admin.rules.calendar';
  return (
    <Table<Holiday> rowKey="name" size="small" pagination={false} dataSource={byHoliday(year)}
      locale={{ emptyText: <Empty description={t(`${c}.noHolidays`)} /> }}
      columns={[
        { title: t(`${c}.holiday`), dataIndex: 'name', width: 140 },
        { title: t(`${c}.daysOff`), key: 'off', render: (_: unknown, h) => h.off.length === 0 ? '—' : (
          <span>{day(h.off[0]!)}{h.off.length > 1 && ` – ${day(h.off.at(-1)!)}`} <Typography.Text type="secondary">({t(`${c}.daysCount`, { count: h.off.length })})</Typography.Text></span>) },
        { title: t(`${c}.workdays`), key: 'work', render: (_: unknown, h) => (h.work.length ? h.work.map(day).join('、') : '—') },
      ]} />
  );
}

export function CalendarSection() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const years = useCalendarYears();
  const [chosen, setChosen] = useState<number | undefined>(undefined);
  const [loading, setLoading] = useState<{ from?: CalendarYear } | null>(null);
  const loaded = (years.data ?? []).map((y) => y.year);
  const thisYear = Number(beijingDate().slice(0, 4));
  const shown = chosen ?? (loaded.includes(thisYear) ? thisYear : loaded.at(-1));
  const year = useCalendarYear(shown);
  const c = 'admin.rules.calendar';
  /** Where a year came from, in words: the calendar package the server ships, or the notice named. */
  const source = (text: string) => {
    const pkg = /^chinese-days@(.+)$/.exec(text);
    return pkg ? t(`${c}.package`, { version: pkg[1] }) : text;
  };
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {years.error && <ErrorNotice error={years.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title={t(`${c}.years`)} extra={<Button type="primary" onClick={() => setLoading({})}>{t(`${c}.load`)}</Button>}>
            <Table rowKey="year" size="small" loading={years.isFetching} dataSource={[...(years.data ?? [])].reverse()} pagination={{ pageSize: 8, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t(`${c}.noYears`)} /> }}
              rowClassName={(y) => (y.year === shown ? 'ant-table-row-selected' : '')}
              columns={[
                { title: t(`${c}.year`), dataIndex: 'year', width: 70 },
                { title: t(`${c}.source`), key: 'source', render: (_: unknown, y) => (
                  <>{source(y.source)}<br /><Typography.Text type="secondary">{t(`${c}.loadedLine`, { at: when(y.loadedAt), by: y.loadedBy === 'system' ? t(`${c}.system`) : y.loadedBy })}</Typography.Text></>) },
                { title: t(`${c}.view`), key: 'view', width: 80, render: (_: unknown, y) => (
                  <Button size="small" type={y.year === shown ? 'primary' : 'default'} aria-pressed={y.year === shown}
                    aria-label={`${t(`${c}.view`)} ${y.year}`} onClick={() => setChosen(y.year)}>{t(`${c}.view`)}</Button>) },
              ]} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          {shown !== undefined && (
            <Card size="small" title={t(`${c}.viewing`, { year: shown })} loading={year.isLoading}
              extra={year.data && <Button onClick={() => setLoading({ from: year.data })}>{t(`${c}.edit`)}</Button>}>
              {year.error && <ErrorNotice error={year.error} />}
              {year.data && <YearDays year={year.data} />}
              {year.data && <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
                {t(`${c}.sourceLine`, { source: source(year.data.source) })}</Typography.Paragraph>}
            </Card>
          )}
        </Col>
      </Row>
      <Card size="small" title={t(`${c}.calculator`)}><WorkingDays /></Card>
      <CalendarLoad open={loading !== null} from={loading?.from} loaded={loaded}
        onClose={(saved) => { setLoading(null); if (saved) setChosen(saved); }} />
    </Space>
  );
}
