// Registering a caller's request while they are on the line: their number first, then what they
// ask (the classifier's suggestion follows the text), where, which category and type; Ctrl+Enter
// registers, and the order opens ready to be dispatched or answered. Typing draws only the field
// and the small parts that follow it; the page draws again when a suggestion arrives.
import { App, Alert, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Switch, TreeSelect, Typography, type FormInstance } from 'antd';
import { TONES, ToneTag } from '../../shared/orders/order-table';
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, data } from '../../shared/api/client';
import { useCategories, useRequestTypes } from '../../shared/api/directory';
import { AreaSearch } from '../../shared/area-search';
import { UnitSearch, useNotTheLead } from '../../shared/unit-search';
import { useRegisterOrder, type RegisterBody } from './api/register-order';
import { MIN_TEXT, suggestionQuery, useSuggestion, type Suggestion } from './api/suggest';
import { useQueryClient } from '@tanstack/react-query';
import { SimilarOrders } from '../../shared/orders/similar-orders';
import { CallerHistory } from './caller-history';
import { MyRecentOrders } from './my-recent-orders';
import { SuggestionAlternatives } from './suggestion-alternatives';

interface Values {
  phone: string; name?: string; title: string; body: string; area?: string; address?: string;
  categoryCode?: string; requestType: RegisterBody['requestType']; urgency: 'normal' | 'urgent'; confidential: boolean;
  unitId?: string; coUnitIds?: string[]; answer?: string;
}

/** Follows the text and place as typed and hands over each suggestion as it arrives; draws nothing. */
function SuggestionFeed({ form, onChange }: { form: FormInstance<Values>; onChange: (s: Suggestion | undefined) => void }) {
  const title = Form.useWatch('title', form) ?? '';
  const body = Form.useWatch('body', form) ?? '';
  const area = Form.useWatch('area', form);
  const { data } = useSuggestion(title, body, area);
  // a text cleared or cut below the minimum has no suggestion (not the last one kept)
  const current = body.trim().length >= MIN_TEXT ? data : undefined;
  useEffect(() => onChange(current), [current, onChange]);
  return null;
}

/** The caller's earlier orders, following the number as typed (only this part of the page draws again). */
function CallerHistoryOf({ form }: { form: FormInstance<Values> }) {
  return <CallerHistory phone={useDeferredValue(Form.useWatch('phone', form) ?? '')} />;
}

export function IntakePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  // the units suggested follow the classifier's category: once the agent files it elsewhere, routing decides at dispatch
  const chosenCategory = Form.useWatch('categoryCode', form);
  // the page draws a suggestion when one arrives, not at each keystroke (SuggestionFeed follows the typing)
  const [suggestion, setSuggestion] = useState<Suggestion | undefined>(undefined);
  const categories = useCategories();
  const requestTypes = useRequestTypes();
  const register = useRegisterOrder();
  const queryClient = useQueryClient();
  const notTheLead = useNotTheLead();
  const tree = useMemo(() => {
    const nodes = new Map<string, { value: string; title: string; children: unknown[] }>();
    const roots: unknown[] = [];
    for (const c of categories.data ?? []) nodes.set(c.code, { value: c.code, title: c.name, children: [] });
    for (const c of categories.data ?? []) (c.parentCode && nodes.get(c.parentCode) ? nodes.get(c.parentCode)!.children : roots).push(nodes.get(c.code));
    return roots;
  }, [categories.data]);
  const suggested = suggestion?.category;

  // how the call ends: dispatched to a unit (Ctrl+Enter), answered on the spot (Ctrl+Shift+Enter), or only registered
  const [mode, setMode] = useState<'dispatch' | 'answer' | 'register'>('dispatch');
  const chosen = useRef(mode); // read by submit in the same tick as the key or click that chose it
  const finish = (next: typeof mode) => { chosen.current = next; setMode(next); form.submit(); };

  const submit = async (v: Values) => {
    const mode = chosen.current;
    setError(null);
    if (mode === 'answer' && !v.answer?.trim()) {
      setError(t('intake.answerNeeded'));
      return;
    }
    let orderId: string | null = null;
    try {
      // the category chosen, else the one suggested for the text as it is now (the one drawn may be for an earlier text)
      const categoryCode = v.categoryCode ?? (v.body.trim().length >= MIN_TEXT
        ? (await queryClient.fetchQuery(suggestionQuery(v.title, v.body, v.area))).category?.code : undefined);
      const order = await register.mutateAsync({
        channel: 'phone', requestType: v.requestType, categoryCode, title: v.title, body: v.body,
        citizen: { name: v.name || undefined, phone: v.phone, address: v.address || undefined }, urgency: v.urgency, confidential: v.confidential,
        location: { areaCode: v.area, address: v.address || undefined },
      });
      orderId = order.id;
      if (mode === 'dispatch') {
        // the unit chosen, else the first the routing suggests for the category and place as registered
        const unitId = v.unitId ?? data(await api.GET('/api/v1/orders/{id}/suggested-units', { params: { path: { id: order.id } } }))[0]?.unit.id;
        if (!unitId) throw new Error(t('intake.noUnit'));
        const coUnitIds = (v.coUnitIds ?? []).filter((id) => id !== unitId); // the lead is not its own co-handler
        await api.POST('/api/v1/orders/{id}/actions/{action}', { params: { path: { id: order.id, action: 'dispatch' } },
          body: { unitId, coUnitIds: coUnitIds.length ? coUnitIds : undefined } });
      } else if (mode === 'answer') {
        await api.POST('/api/v1/orders/{id}/actions/{action}', { params: { path: { id: order.id, action: 'answer_directly' } }, body: { text: v.answer } });
      }
      void message.success(`${t('order.trackingNo')} ${order.trackingNo}`);
      navigate(`/orders/${order.id}`);
    } catch (e) {
      // registered but not dispatched or answered: the order's page says why, and what is left to do
      if (orderId) navigate(`/orders/${orderId}`, { state: { error: (e as Error).message } });
      else setError((e as Error).message);
    }
  };

  return (
    <Card title={t('menu.intake')}>
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <SuggestionFeed form={form} onChange={setSuggestion} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ urgency: 'normal', confidential: false, requestType: 'help' }}
        onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); finish(e.shiftKey ? 'answer' : 'dispatch'); } }}>
        <Row gutter={24}>
          <Col xs={24} lg={14}>
            <Space.Compact block>
              <Form.Item label={t('order.phone')} name="phone" rules={[{ required: true }]} style={{ width: '50%' }}>
                <Input autoFocus inputMode="tel" autoComplete="off" />
              </Form.Item>
              <Form.Item label={t('order.citizen')} name="name" style={{ width: '50%' }}><Input autoComplete="off" /></Form.Item>
            </Space.Compact>
            <Form.Item label={t('order.title')} name="title" rules={[{ required: true, max: 200 }]}><Input /></Form.Item>
            <Form.Item label={t('order.body')} name="body" rules={[{ required: true }]}><Input.TextArea rows={5} /></Form.Item>
            <Form.Item label={t('order.place')} name="area"><AreaSearch /></Form.Item>
            <Form.Item label={t('order.address')} name="address"><Input /></Form.Item>
          </Col>
          <Col xs={24} lg={10}>
            <CallerHistoryOf form={form} />
            <Form.Item label={t('order.category')} name="categoryCode"
              extra={suggested && (
                <Space direction="vertical" size={4} style={{ marginTop: 4 }}>
                  <span>{suggested.pathNames.join(' › ')} <ToneTag tone={suggested.lowConfidence ? TONES.warning : TONES.success}>{Math.round(suggested.confidence * 100)}%</ToneTag></span>
                  <SuggestionAlternatives category={suggested} onChoose={(code) => form.setFieldValue('categoryCode', code)} />
                </Space>
              )}>
              <TreeSelect showSearch treeNodeFilterProp="title" treeData={tree as never} allowClear placeholder={suggested?.name}
                loading={categories.isLoading} />
            </Form.Item>
            <Form.Item label={t('order.requestType')} name="requestType" rules={[{ required: true }]}>
              <Select options={(requestTypes.data ?? []).map((r) => ({ value: r.code, label: i18n.language === 'en' ? r.en : r.zh }))} />
            </Form.Item>
            <Form.Item label={t('order.urgency')} name="urgency">
              <Radio.Group options={[{ value: 'normal', label: t('order.normal') }, { value: 'urgent', label: t('order.urgent') }]} />
            </Form.Item>
            <Form.Item label={t('order.confidential')} name="confidential" valuePropName="checked"><Switch /></Form.Item>
            <Form.Item label={t('order.unit')} name="unitId" extra={t('intake.unitHint')}>
              <UnitSearch<string> placeholder={chosenCategory && chosenCategory !== suggested?.code ? t('intake.unitByChoice') : suggestion?.units[0]?.unit.name}
                initial={(suggestion?.units ?? []).map((u) => ({ value: u.unit.id, label: u.unit.name }))} />
            </Form.Item>
            <Form.Item label={t('order.coUnits')} name="coUnitIds" extra={t('order.coHint')} dependencies={['unitId']} rules={[notTheLead]}>
              <UnitSearch<string[]> multiple />
            </Form.Item>
            <Form.Item label={t('intake.answerText')} name="answer"><Input.TextArea rows={3} /></Form.Item>
            {suggestion?.signals.length ? (
              <Typography.Paragraph type="danger">{suggestion.signals.map((s) => (i18n.language === 'en' ? s.label.en : s.label.zh)).join('、')}</Typography.Paragraph>
            ) : null}
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" loading={register.isPending && mode === 'dispatch'} onClick={() => finish('dispatch')}>{t('intake.dispatch')} (Ctrl+Enter)</Button>
          <Button loading={register.isPending && mode === 'answer'} onClick={() => finish('answer')}>{t('intake.answer')} (Ctrl+Shift+Enter)</Button>
          <Button type="text" loading={register.isPending && mode === 'register'} onClick={() => finish('register')}>{t('intake.registerOnly')}</Button>
        </Space>
      </Form>
      <Row gutter={24} style={{ marginTop: 24 }}>
        <Col xs={24} lg={14}><Card size="small" title={t('intake.similar')}>
          {suggestion?.similar?.length ? <SimilarOrders orders={suggestion.similar} newTab />
            : <Typography.Text type="secondary">{t('intake.similarHint')}</Typography.Text>}
        </Card></Col>
        <Col xs={24} lg={10}><Card size="small" title={t('intake.mine')}><MyRecentOrders /></Card></Col>
      </Row>
    </Card>
  );
}
