// The order's citizen across channels: how often they contact the hotline, how they are recognised
// (their phone, as the user may see it, and their channel accounts), and their other requests.
import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatTime } from '../../../shared/format';
import { StateTag, TONES, ToneTag } from '../../../shared/orders/order-table';
import type { CitizenHistory as History } from '../api/order-insights';

export function CitizenHistory({ history }: { history: History }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const channel = (code: string) => t(`channels.${code}`, { defaultValue: code });
  const { knownBy, counts } = history;
  if (history.hidden) return <Typography.Text type="secondary">{t('insight.citizenHidden')}</Typography.Text>;
  if (!knownBy.phone && knownBy.channels.length === 0 && counts.all === 0) return <Typography.Text type="secondary">{t('insight.citizenUnknown')}</Typography.Text>;
  const n = (count: number) => (counts.capped ? `${count}+` : String(count));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>{t('insight.citizenCounts', { d30: n(counts.days30), d90: n(counts.days90), d365: n(counts.days365), all: n(counts.all), open: n(history.open) })}</Typography.Text>
      <Space wrap>
        <Typography.Text type="secondary">{t('insight.citizenKnownBy')}</Typography.Text>
        {knownBy.phone && <Tag>{t('insight.citizenPhone', { phone: knownBy.phone })}</Tag>}
        {knownBy.sharedPhone && <ToneTag tone={TONES.warning}>{t('insight.citizenSharedPhone')}</ToneTag>}
        {knownBy.channels.map((c) => <ToneTag key={c} tone={TONES.info}>{t('insight.citizenIdentity', { channel: channel(c) })}</ToneTag>)}
      </Space>
      <Space wrap>
        <Typography.Text type="secondary">{t('insight.citizenChannels')}</Typography.Text>
        <Typography.Text>{history.byChannel.map((c) => t('insight.citizenChannelCount', { channel: channel(c.channel), count: c.count })).join(t('insight.citizenChannelJoin'))}</Typography.Text>
      </Space>
      {history.orders.length === 0 ? <Typography.Text type="secondary">{t(counts.all > 1 ? 'insight.citizenNotListed' : 'insight.citizenNone')}</Typography.Text> : (
        <List size="small" dataSource={history.orders}
          renderItem={(o) => (
            <List.Item>
              <Space direction="vertical" size={0}>
                <Space wrap><Link to={`/orders/${o.id}`}>{o.trackingNo}</Link><StateTag state={o.state} /><span>{o.title}</span></Space>
                <Typography.Text type="secondary">{[when(o.createdAt), channel(o.channel), o.leadUnit?.name].filter(Boolean).join(' · ')}</Typography.Text>
              </Space>
            </List.Item>
          )} />
      )}
    </Space>
  );
}
