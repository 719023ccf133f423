// Load or replace a year from the State Council's notice: the source named, the days off and the
// make-up working days one a line. Replacing a year already loaded asks first.
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { beijingDate } from '../../../shared/format';
import { daysToLines, linesToDays, useLoadYear, type CalendarYear } from './calendar-api';

interface Values { year: number; source: string; holidays?: string; workdays?: string }

export function CalendarLoad({ open, from, loaded, onClose }: {
  open: boolean; from: CalendarYear | undefined; loaded: number[]; onClose: (year?: number) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const load = useLoadYear();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const year = Form.useWatch('year', form) as number | undefined;
  const c = 'admin.rules.calendar';
  const submit = async (v: Values) => {
    setError(null);
    const holidays = linesToDays(v.holidays ?? '');
    const workdays = linesToDays(v.workdays ?? '');
    const bad = holidays.bad ?? workdays.bad;
    if (bad) return setError(t(`${c}.badLine`, bad));
    try {
      await load.mutateAsync({ year: v.year, body: { source: v.source.trim(), holidays: holidays.days, workdays: workdays.days } });
      void message.success(t(`${c}.loaded`, { year: v.year }));
      onClose(v.year);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const replacing = year !== undefined && loaded.includes(year);
  const ok = <Button type="primary" loading={load.isPending} onClick={replacing ? undefined : () => form.submit()}>{t('common.submit')}</Button>;
  return (
    <Modal open={open} destroyOnHidden title={t(`${c}.loadTitle`, { year: year ?? '' })} onCancel={() => { setError(null); onClose(); }} width={640}
      footer={[
        <Button key="cancel" onClick={() => { setError(null); onClose(); }}>{t('common.cancel')}</Button>,
        replacing ? <Popconfirm key="ok" title={t(`${c}.replaceConfirm`, { year })} okText={t('common.submit')} cancelText={t('common.cancel')}
          onConfirm={() => form.submit()}>{ok}</Popconfirm> : <span key="ok">{ok}</span>,
      ]}>
      {error && <Typography.Paragraph role="alert" type="danger">{error}</Typography.Paragraph>}
      <Form<Values> form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}
        initialValues={from ? { year: from.year, source: from.source, holidays: daysToLines(from.holidays), workdays: daysToLines(from.workdays) }
          : { year: Number(beijingDate().slice(0, 4)) + 1 }}>
        <Form.Item label={t(`${c}.year`)} name="year" rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} precision={0} />
        </Form.Item>
        <Form.Item label={t(`${c}.source`)} name="source" rules={[{ required: true, whitespace: true, max: 200 }]}>
          <Input placeholder={t(`${c}.sourceHint`, { year: year ?? '' })} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t(`${c}.holidaysField`)} name="holidays" extra={t(`${c}.linesHint`, { example: `${year ?? 2026}-10-01 国庆节` })}>
          <Input.TextArea rows={8} />
        </Form.Item>
        <Form.Item label={t(`${c}.workdaysField`)} name="workdays" extra={t(`${c}.linesHint`, { example: `${year ?? 2026}-09-28 国庆节` })}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
