// One early warning in a drawer: its place, matter, reports and times, acknowledged or closed with
// the outcome by whoever handles warnings; the rest of the hotline reads it and is told who does.
// Opened from the warnings' list and from the leadership screen.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Drawer, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, data, type Answer } from '../api/client';
import { ErrorNotice } from '../error-notice';
import { localeOf, useFormatTime } from '../format';
import { useOrderRefColumns } from '../orders/order-table';
import { TONES, ToneTag } from '../tone-tag';

export type Warning = Answer<'/api/v1/warnings', 'get'>['items'][number];
type Status = Warning['status'];
const STATUS_TONES: Record<Status, string[]> = { open: TONES.danger, acknowledged: TONES.warning, closed: TONES.neutral };

export function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <ToneTag tone={STATUS_TONES[status]}>{t(`warnings.status.${status}`)}</ToneTag>;
}

export const placeOf = (w: Warning) => w.area.path.map((a) => a.name).join(' › ');

/**
 * The warning's figures in words a leader reads at a glance: the chance as "one in N" (N to two
 * figures; in Chinese 万 and 亿), never below one in a million, which the model cannot tell apart;
 * the expected count to two decimals, never "0.00".
 */
function useWarningFigures() {
  const { t, i18n } = useTranslation();
  const zh = i18n.language !== 'en';
  const oneIn = new Intl.NumberFormat(localeOf(i18n.language), { notation: zh ? 'compact' : 'standard', maximumSignificantDigits: 2 });
  return {
    chance: (p: number) => p < 1e-6 ? t('warnings.chanceTiny')
      : p < 0.01 ? t('warnings.chanceOneIn', { n: oneIn.format(1 / p) })
      : t('warnings.chancePercent', { percent: `${Math.round(p * 100)}%` }),
    expected: (count: number) => count < 0.01 ? t('warnings.expectedUnder') : t('warnings.expectedCount', { count: count.toFixed(2) }),
  };
}

function useWarningAction() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (a: { id: string; kind: 'acknowledge'; text?: string } | { id: string; kind: 'close'; outcome: 'confirmed' | 'false_alarm'; text?: string }) => {
      const path = { params: { path: { id: a.id } } };
      return a.kind === 'acknowledge'
        ? data(await api.POST('/api/v1/warnings/{id}/acknowledge', { ...path, body: { text: a.text } }))
        : data(await api.POST('/api/v1/warnings/{id}/close', { ...path, body: { outcome: a.outcome, text: a.text } }));
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['warnings'] }),
  });
}

/** `canHandle`: the reader may acknowledge and close (a handler); others read it and are told who does. */
export function WarningDrawer({ id, onClose, canHandle }: { id: string | null; onClose: () => void; canHandle: boolean }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const act = useWarningAction();
  const columns = useOrderRefColumns();
  const figures = useWarningFigures();
  const withNote = (what: string, note: string | null) => (note ? t('warnings.withNote', { what, note }) : what);
  const warning = useQuery({ queryKey: ['warnings', 'one', id], enabled: id !== null,
    queryFn: async () => data(await api.GET('/api/v1/warnings/{id}', { params: { path: { id: id! } } })) });
  const w = warning.data;
  const run = async (request: Parameters<typeof act.mutateAsync>[0], done: string) => {
    await act.mutateAsync(request);
    void message.success(done);
    form.resetFields();
  };
  return (
    <Drawer open={id !== null} onClose={onClose} size="large" destroyOnHidden
      title={w ? `${w.area.name} · ${w.category.name}` : t('common.loading')}>
      {warning.error && <ErrorNotice error={warning.error} />}
      {act.error && <ErrorNotice error={act.error} />}
      {w && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered items={[
            { key: 'status', label: t('order.state'), children: <StatusTag status={w.status} /> },
            { key: 'place', label: t('warnings.place'), children: placeOf(w) },
            { key: 'matter', label: t('warnings.matter'), children: w.category.path.map((c) => c.name).join(' › ') },
            { key: 'reports', label: t('warnings.reports'), children: w.reports },
            { key: 'first', label: t('warnings.firstReport'), children: when(w.firstReportAt) },
            { key: 'crossed', label: t('warnings.crossedAt'), children: when(w.crossedAt) },
            { key: 'raised', label: t('warnings.raisedAt'), children: when(w.raisedAt) },
            { key: 'expected', label: t('warnings.expected'), children: figures.expected(w.expected) },
            { key: 'probability', label: t('warnings.probability'), children: figures.chance(w.probability) },
            ...(w.acknowledgedAt ? [{ key: 'ack', label: t('warnings.acknowledgedBy'),
              children: withNote(t('warnings.at', { name: w.acknowledgedBy, time: when(w.acknowledgedAt) }), w.acknowledgedText) }] : []),
            ...(w.closedAt ? [{ key: 'closed', label: t('warnings.closedBy'), children: t('warnings.at', { name: w.closedBy, time: when(w.closedAt) }) },
              { key: 'outcome', label: t('warnings.outcome'), children: withNote(w.outcome ? t(`warnings.outcomes.${w.outcome}`) : '', w.outcomeText) }] : []),
          ]} />
          {w.status !== 'closed' && !canHandle && <Typography.Text type="secondary">{t('warnings.handledBy')}</Typography.Text>}
          {w.status !== 'closed' && canHandle && (
            <Form form={form} layout="vertical" onFinish={(v) => void run(v.outcome
              ? { id: w.id, kind: 'close', outcome: v.outcome, text: v.text || undefined }
              : { id: w.id, kind: 'acknowledge', text: v.text || undefined }, v.outcome ? t('warnings.closedDone') : t('warnings.acknowledged'))}>
              <Form.Item label={t('warnings.outcome')} name="outcome">
                <Radio.Group options={(['confirmed', 'false_alarm'] as const).map((o) => ({ value: o, label: t(`warnings.outcomes.${o}`) }))} />
              </Form.Item>
              <Form.Item label={w.status === 'open' ? t('warnings.acknowledgeNote') : t('warnings.outcomeNote')} name="text">
                <Input.TextArea rows={2} maxLength={2000} />
              </Form.Item>
              <Space>
                {w.status === 'open' && (
                  <Button type="primary" loading={act.isPending}
                    onClick={() => void run({ id: w.id, kind: 'acknowledge', text: form.getFieldValue('text') || undefined }, t('warnings.acknowledged'))}>
                    {t('warnings.acknowledge')}
                  </Button>
                )}
                <Button danger loading={act.isPending} onClick={() => form.validateFields().then(() => {
                  if (!form.getFieldValue('outcome')) form.setFields([{ name: 'outcome', errors: [t('warnings.chooseOutcome')] }]);
                  else form.submit();
                })}>{t('warnings.close')}</Button>
              </Space>
            </Form>
          )}
          <Table rowKey="orderId" size="small" pagination={false} dataSource={w.reportOrders}
            title={() => <Typography.Text strong>{t('warnings.reportsTitle', { count: w.reportOrders.length })}</Typography.Text>}
            columns={columns} />
        </Space>
      )}
    </Drawer>
  );
}

