// When does a limit of N working days that starts at a moment end, by the calendar loaded.
import { Alert, Button, DatePicker, Form, InputNumber, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { beijingInstant, beijingNow, useFormatTime } from '../../../shared/format';
import { useWorkingDays } from './calendar-api';

export function WorkingDays() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const [asked, setAsked] = useState<{ from: string; days: number } | null>(null);
  const result = useWorkingDays(asked);
  const c = 'admin.rules.calendar';
  return (
    <>
      <Form<{ from: Dayjs; days: number }> layout="inline" initialValues={{ from: beijingNow().startOf('minute'), days: 5 }}
        onFinish={(v) => setAsked({ from: beijingInstant(v.from), days: v.days })}>
        <Form.Item label={t(`${c}.from`)} name="from" rules={[{ required: true }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} showNow={false} />
        </Form.Item>
        <Form.Item label={t(`${c}.days`)} name="days" rules={[{ required: true }]}>
          <InputNumber min={0} max={365} precision={0} suffix={t('admin.rules.units.working_days')} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" loading={result.isFetching}>{t(`${c}.compute`)}</Button></Form.Item>
      </Form>
      <div aria-live="polite" style={{ marginTop: 12 }}>
        {result.error && <ErrorNotice error={result.error} />}
        {result.data && (
          <Space orientation="vertical">
            <Typography.Text strong>{t(`${c}.dueAt`, { at: when(result.data.dueAt) })}</Typography.Text>
            {!result.data.calendarComplete && <Alert type="warning" showIcon title={t(`${c}.incomplete`)} />}
          </Space>
        )}
      </div>
    </>
  );
}
