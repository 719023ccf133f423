// The screen's lists: the early warnings still to handle (each opens the warning, to acknowledge or
// close it there), the hot topics of the last day (each opens all its orders), and the units ranked.
import { Button, Card, Drawer, Empty, List, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCanHandleWarnings } from '../../../../app/session';
import { ErrorNotice } from '../../../../shared/error-notice';
import { percent, useFormatTime } from '../../../../shared/format';
import { useOrderRefColumns } from '../../../../shared/orders/order-table';
import type { HotTopic, Span, TopItem } from '../../api/analytics';
import { placeOf, WarningDrawer } from '../../../../shared/warnings/warning-drawer';
import { useActiveWarnings, useOpenSurveys, useScreenTop, useScreenTopics, useTopicOrders } from '../api/screen';

/**
 * A card that fills the height it is given (`fill`), its list scrolling within: the screen's right
 * column is as tall as the map beside it, however many warnings and topics there are.
 */
const filling = (fill: boolean) => fill
  ? { style: { flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' as const }, styles: { body: { flex: 1, minHeight: 0, overflowY: 'auto' as const } } }
  : {};

export function ActiveWarnings({ fill = false }: { fill?: boolean }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const warnings = useActiveWarnings();
  const [open, setOpen] = useState<string | null>(null);
  const canHandle = useCanHandleWarnings();
  return (
    <Card size="small" title={t('screen.warnings')} extra={<Link to="/warnings">{t('menu.warnings')}</Link>} {...filling(fill)}>
      {warnings.error && <ErrorNotice error={warnings.error} />}
      <List size="small" loading={!warnings.data} dataSource={warnings.data?.items ?? []} locale={{ emptyText: <Empty description={t('screen.noWarnings')} /> }}
        renderItem={(w) => (
          <List.Item actions={[<Button key="open" type="link" size="small" onClick={() => setOpen(w.id)}
            aria-label={t('screen.warningButton', { place: placeOf(w), matter: w.category.name })}>{t('warnings.details')}</Button>]}>
            <List.Item.Meta
              title={<><Tag color={w.status === 'open' ? 'red' : 'orange'}>{t(`warnings.status.${w.status}`)}</Tag>{w.category.name}</>}
              description={<>{placeOf(w)}<br />{t('screen.reports', { count: w.reports })} · {when(w.crossedAt)}</>} />
          </List.Item>)} />
      <WarningDrawer id={open} onClose={() => setOpen(null)} canHandle={canHandle} />
    </Card>
  );
}

/** A hot topic's orders, all of them, a page of the API (the screen's list and the analysis' table open it). */
export function TopicDrawer({ topic, onClose }: { topic: HotTopic | null; onClose: () => void }) {
  const { t } = useTranslation();
  const orders = useTopicOrders(topic?.id ?? null);
  const columns = useOrderRefColumns();
  return (
    <Drawer open={topic !== null} onClose={onClose} size="large" destroyOnHidden
      title={topic ? `${topic.district?.name ?? ''} · ${topic.keywords.join(' ')}` : ''}>
      {orders.error && <ErrorNotice error={orders.error} />}
      <Table rowKey="orderId" size="small" loading={orders.isFetching} dataSource={orders.data?.items ?? []} pagination={false}
        title={() => (
          <Space direction="vertical" size={0}>
            <Typography.Text strong>{t('screen.topicOrders', { count: orders.data?.total ?? topic?.size ?? 0 })}</Typography.Text>
            <Typography.Text type="secondary">{t('screen.topicOrdersHint')}</Typography.Text>
          </Space>)}
        columns={columns} />
    </Drawer>
  );
}

/** The topics the list shows (the figure above counts them all). */
const TOPICS_SHOWN = 5;

export function TopicList({ fill = false }: { fill?: boolean }) {
  const { t } = useTranslation();
  const topics = useScreenTopics();
  const [open, setOpen] = useState<HotTopic | null>(null);
  const top = Math.max(1, ...(topics.data?.topics ?? []).map((h) => h.recent));
  return (
    <Card size="small" title={t('screen.topics')} {...filling(fill)}>
      {topics.error && <ErrorNotice error={topics.error} />}
      <List size="small" loading={!topics.data} dataSource={(topics.data?.topics ?? []).slice(0, TOPICS_SHOWN)} locale={{ emptyText: <Empty description={t('screen.noTopics')} /> }}
        renderItem={(h) => (
          <List.Item actions={[<Button key="open" type="link" size="small" onClick={() => setOpen(h)}
            aria-label={t('screen.topicButton', { words: h.keywords.slice(0, 3).join(' '), count: h.recent })}>{t('screen.orders', { count: h.recent })}</Button>]}>
            <List.Item.Meta title={<Space size={4} wrap>{h.keywords.slice(0, 3).map((w) => <Tag key={w} color="blue">{w}</Tag>)}</Space>}
              description={<>{[h.district?.name, h.street?.name, h.category?.name].filter(Boolean).join(' · ')}
                <div aria-hidden style={{ height: 4, marginTop: 4, borderRadius: 2, background: '#38bdf8', width: `${(100 * h.recent) / top}%` }} /></>} />
          </List.Item>)} />
      <TopicDrawer topic={open} onClose={() => setOpen(null)} />
    </Card>
  );
}

/** The surveys open now: each one's answers so far against its respondents, the response rate drawn. */
export function OpenSurveys() {
  const { t } = useTranslation();
  const surveys = useOpenSurveys();
  return (
    <Card size="small" title={t('screen.surveys')} extra={<Link to="/surveys">{t('menu.surveys')}</Link>}>
      {surveys.error && <ErrorNotice error={surveys.error} />}
      <List size="small" loading={!surveys.data} dataSource={(surveys.data ?? []).slice(0, 4)} locale={{ emptyText: <Empty description={t('screen.noSurveys')} /> }}
        renderItem={(s) => {
          const rate = s.respondents > 0 ? s.answered / s.respondents : null;
          return (
            <List.Item>
              <List.Item.Meta title={s.title} description={<>
                {t('screen.surveyAnswered', { answered: s.answered, respondents: s.respondents, rate: percent(rate) })} · {t('screen.surveyUntil', { date: s.endsOn })}
                <div aria-hidden style={{ height: 4, marginTop: 4, borderRadius: 2, background: '#4ade80', width: `${100 * (rate ?? 0)}%` }} /></>} />
            </List.Item>
          );
        }} />
    </Card>
  );
}

export function UnitRanking({ span }: { span: Span }) {
  const { t } = useTranslation();
  const units = useScreenTop(span, 'unit', 8);
  return (
    <Card size="small" title={t('screen.units')}>
      {units.error && <ErrorNotice error={units.error} />}
      <Table<TopItem> rowKey="member" size="small" pagination={false} loading={!units.data} dataSource={units.data?.items ?? []}
        locale={{ emptyText: <Empty description={t('analytics.empty')} /> }}
        columns={[
          { title: '#', width: 36, render: (_: unknown, _i, n) => n + 1 },
          { title: t('screen.unit'), dataIndex: 'label', ellipsis: true, render: (label: string | null, i) => label ?? i.member },
          { title: t('analytics.orders'), align: 'right', render: (_: unknown, i) => i.measures.orders },
          { title: t('screen.closed'), align: 'right', render: (_: unknown, i) => percent(i.rates.closedRate) },
          { title: t('screen.satisfactionShort'), align: 'right', render: (_: unknown, i) => percent(i.rates.satisfactionRate) },
        ]} />
    </Card>
  );
}
