// The deadline settings (时限设置): each urgency's deadlines and what they count, the return window,
// the extension limit, the return-visit rules, the service levels and the assessment weights — a
// form grouped by topic, each field with its unit, saved at once; it applies to deadlines set from now on.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Form, InputNumber, Radio, Row, Spin, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, data, type Answer } from '../../../shared/api/client';
import type { paths } from '../../../shared/api/schema';
import { ErrorNotice } from '../../../shared/error-notice';

type Settings = Answer<'/api/v1/sla/settings', 'get'>;
type Patch = paths['/api/v1/sla/settings']['patch']['requestBody']['content']['application/json'];
type Unit = 'working_days' | 'hours' | 'percent' | 'seconds' | 'times';

function NumberField({ name, label, fullLabel, unit, max, min = 0, integer = false }: {
  name: (string | number)[]; label: string; fullLabel?: string; unit: Unit; max: number; min?: number; integer?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Form.Item label={label} name={name} rules={[{ required: true }]}>
      <InputNumber min={min} max={max} precision={integer ? 0 : undefined} aria-label={fullLabel}
        suffix={t(`admin.rules.units.${unit}`)} style={{ width: 200 }} />
    </Form.Item>
  );
}

function Deadlines({ urgency }: { urgency: 'normal' | 'urgent' }) {
  const { t } = useTranslation();
  const unit = (Form.useWatch(['deadlines', urgency, 'unit']) ?? 'working_days') as Unit;
  const field = (key: 'sign' | 'reply' | 'closeAfterReply' | 'warnBefore', max: number) => (
    <NumberField name={['deadlines', urgency, key]} label={t(`admin.rules.settings.${key}`)} unit={unit} max={max}
      fullLabel={`${t(`admin.rules.settings.${urgency}`)} · ${t(`admin.rules.settings.${key}`)}`} />
  );
  return (
    <Col xs={24} md={12}>
      <Typography.Title level={5}>{t(`admin.rules.settings.${urgency}`)}</Typography.Title>
      <Form.Item label={t('admin.rules.settings.unit')} name={['deadlines', urgency, 'unit']}>
        <Radio.Group aria-label={`${t(`admin.rules.settings.${urgency}`)} · ${t('admin.rules.settings.unit')}`} options={(['working_days', 'hours'] as const).map((u) => ({ value: u, label: t(`admin.rules.units.${u}`) }))} />
      </Form.Item>
      {field('sign', 240)}
      {field('reply', 720)}
      {field('closeAfterReply', 240)}
      {field('warnBefore', 240)}
    </Col>
  );
}

function Weights() {
  const { t } = useTranslation();
  const weights = Form.useWatch('assessmentWeights') as Settings['assessmentWeights'] | undefined;
  const sum = Object.values(weights ?? {}).reduce((s, w) => s + (Number(w) || 0), 0);
  return (
    <Card size="small" title={t('admin.rules.settings.weights')}>
      <Typography.Paragraph type="secondary">{t('admin.rules.settings.weightsHint', { sum })}</Typography.Paragraph>
      <Row gutter={16}>
        {(['response', 'onTimeReply', 'resolution', 'satisfaction'] as const).map((k) => (
          <Col key={k} xs={24} md={12}><NumberField name={['assessmentWeights', k]} label={t(`admin.rules.settings.${k}`)} unit="percent" max={100} /></Col>
        ))}
      </Row>
    </Card>
  );
}

export function DeadlineSettingsSection() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Settings>();
  const settings = useQuery({ queryKey: ['sla-settings'], queryFn: async () => data(await api.GET('/api/v1/sla/settings')) });
  const save = useMutation({
    mutationFn: async (body: Patch) => data(await api.PATCH('/api/v1/sla/settings', { body })),
    onSuccess: (saved) => { client.setQueryData(['sla-settings'], saved); form.setFieldsValue(saved); },
  });
  const submit = (values: Settings) => save.mutate(values, {
    onSuccess: () => void message.success(t('admin.rules.settings.saved')),
  });
  const s = 'admin.rules.settings';
  if (settings.isLoading) return <Spin />;
  if (settings.error) return <ErrorNotice error={settings.error} />;
  return (
    <Form<Settings> form={form} layout="vertical" initialValues={settings.data} onFinish={submit}>
      <Alert type="info" showIcon title={t(`${s}.appliesFromNow`)} style={{ marginBottom: 16 }} />
      {save.error && <ErrorNotice error={save.error} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t(`${s}.deadlines`)}>
            <Row gutter={16}><Deadlines urgency="normal" /><Deadlines urgency="urgent" /></Row>
            <Form.Item label={t(`${s}.useCategoryTimeLimit`)} name="useCategoryTimeLimit" valuePropName="checked"><Switch /></Form.Item>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t(`${s}.handling`)} style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col xs={24} md={12}><NumberField name={['returnWindowDays']} label={t(`${s}.returnWindowDays`)} unit="working_days" max={30} integer /></Col>
              <Col xs={24} md={12}><NumberField name={['extensionMaxDays']} label={t(`${s}.extensionMaxDays`)} unit="working_days" max={60} integer /></Col>
            </Row>
          </Card>
          <Card size="small" title={t(`${s}.visit`)} style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col xs={24} md={12}><NumberField name={['visit', 'maxAttempts']} label={t(`${s}.maxAttempts`)} unit="times" min={1} max={10} integer /></Col>
              <Col xs={24} md={12}><NumberField name={['visit', 'retryAfterHours']} label={t(`${s}.retryAfterHours`)} unit="hours" max={168} /></Col>
              <Col xs={24} md={12}><NumberField name={['visit', 'directAnswerSamplePercent']} label={t(`${s}.directAnswerSamplePercent`)} unit="percent" max={100} integer /></Col>
            </Row>
          </Card>
          <Card size="small" title={t(`${s}.serviceLevels`)} style={{ marginBottom: 16 }}>
            <Row gutter={16}>
              <Col xs={24} md={12}><NumberField name={['serviceLevels', 'phoneAnswerSeconds']} label={t(`${s}.phoneAnswerSeconds`)} unit="seconds" min={1} max={600} integer /></Col>
              <Col xs={24} md={12}><NumberField name={['serviceLevels', 'mailboxReplyHours']} label={t(`${s}.mailboxReplyHours`)} unit="hours" min={1} max={720} integer /></Col>
            </Row>
          </Card>
          <Weights />
        </Col>
      </Row>
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }}>{t(`${s}.save`)}</Button>
    </Form>
  );
}
