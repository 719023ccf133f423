// The order's citizen across channels: how often they contact the hotline, how they are recognised
// (their phone, as the user may see it, and their channel accounts), and their other requests.
import { List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useFormatTime } from '../../../shared/format';
import { StateTag } from '../../../shared/orders/order-table';
import type { CitizenHistory as History } from '../api/order-insights';

export function CitizenHistory({ history }: { history: History }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const channel = (code: string) => t(`channels.${code}`, { defaultValue: code });
  const { knownBy, counts } = history;
  if (!knownBy.phone && knownBy.channels.length === 0 && counts.all === 0) return <Typography.Text type="secondary">{t('insight.citizenUnknown')}</Typography.Text>;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>{t('insight.citizenCounts', { d30: counts.days30, d90: counts.days90, d365: counts.days365, all: counts.all, open: history.open })}</Typography.Text>
      <Space wrap>
        <Typography.Text type="secondary">{t('insight.citizenKnownBy')}</Typography.Text>
        {knownBy.phone && <Tag>{t('insight.citizenPhone', { phone: knownBy.phone })}</Tag>}
        {knownBy.channels.map((c) => <Tag key={c} color="blue">{t('insight.citizenIdentity', { channel: channel(c) })}</Tag>)}
      </Space>
      <Space wrap>
        <Typography.Text type="secondary">{t('insight.citizenChannels')}</Typography.Text>
        {history.byChannel.map((c) => <Typography.Text key={c.channel}>{t('insight.citizenChannelCount', { channel: channel(c.channel), count: c.count })}</Typography.Text>)}
      </Space>
      {history.orders.length === 0 ? <Typography.Text type="secondary">{t('insight.citizenNone')}</Typography.Text> : (
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
