// Registering a caller's request while they are on the line: their number first, then what they
// ask (the classifier's suggestion follows the text), where, which category and type; Ctrl+Enter
// registers, and the order opens ready to be dispatched or answered. Typing draws only the field
// and the small parts that follow it (suggested-fields.tsx), never the whole form. A call answered
// at the agent's seat pops up above the form (call-pop.tsx): its number fills the form, the cursor
// goes to the title, and the order registered carries the call's id, so the call shows its orders.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Alert, Button, Card, Col, Form, Input, Radio, Row, Select, Space, Switch, Typography, type FormInstance } from 'antd';
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, data } from '../../shared/api/client';
import { useRequestTypes } from '../../shared/api/directory';
import { AfterPaint } from '../../shared/after-paint';
import { AreaSearch } from '../../shared/area-search';
import { ArticleSuggestions } from '../../shared/knowledge/article-suggestions';
import { callerQuery, currentCall, dismissCall, useCurrentCall, type CurrentCall } from '../../shared/calls/current-call';
import { nameIn } from '../../shared/i18n/named';
import { UnitSearch, useNotTheLead } from '../../shared/unit-search';
import { useRegisterOrder, type RegisterBody } from './api/register-order';
import { suggestible, suggestionQuery } from './api/suggest';
import { CallPop } from './call-pop';
import { CallerHistory } from './caller-history';
import { MyRecentOrders } from './my-recent-orders';
import { SeatBar } from './seat-bar';
import { WarningsHere } from './warnings-here';
import { CategoryField, Signals, SimilarToText, SuggestionFeed, UnitField, useSuggestionStore } from './suggested-fields';

interface Values {
  phone: string; name?: string; title: string; body: string; area?: string; address?: string;
  categoryCode?: string; requestType: RegisterBody['requestType']; urgency: 'normal' | 'urgent'; confidential: boolean;
  unitId?: string; coUnitIds?: string[]; answer?: string;
  /** the knowledge article the direct answer rests on, and its title to show */
  articleId?: string; articleTitle?: string;
}

/** The articles for the caller's words; one used fills the direct answer and is named as its ground. */
function KnowledgeOf({ form }: { form: FormInstance<Values> }) {
  const title = Form.useWatch('title', form) ?? '';
  const body = Form.useWatch('body', form) ?? '';
  const area = Form.useWatch('area', form);
  return <ArticleSuggestions text={`${title} ${body}`} areaCode={area}
    onUse={(hit) => form.setFieldsValue({ answer: hit.answer, articleId: hit.id, articleTitle: hit.title.text })} />;
}

/** The article the answer rests on, if one was used, with a way to answer without it. */
function AnswerGround({ form }: { form: FormInstance<Values> }) {
  const { t } = useTranslation();
  const title = Form.useWatch('articleTitle', form);
  if (!title) return null;
  return (
    <Typography.Paragraph type="secondary" style={{ marginTop: -16 }}>
      {t('knowledge.suggest.ground', { title })}{' '}
      <Button type="link" size="small" onClick={() => form.setFieldsValue({ articleId: undefined, articleTitle: undefined })}>{t('knowledge.suggest.drop')}</Button>
    </Typography.Paragraph>
  );
}

/**
 * The caller's earlier orders, following the number as typed (only this part of the page draws
 * again); during a call the pop above shows them.
 */
function CallerHistoryOf({ form }: { form: FormInstance<Values> }) {
  const phone = useDeferredValue(Form.useWatch('phone', form) ?? '');
  return useCurrentCall() ? null : <CallerHistory phone={phone} />;
}

/** The early warnings in hand where the caller is, following the place as chosen. */
function WarningsHereOf({ form }: { form: FormInstance<Values> }) {
  return <WarningsHere areaCode={Form.useWatch('area', form)} />;
}

/**
 * The call the agent is on, above the form (only this part draws when a call pops or ends). It
 * starts a new form for its caller (what was typed belongs to someone else): their number once the
 * profile has it (not a masked or withheld one), the cursor in the title.
 */
function CallPopOf({ form }: { form: FormInstance<Values> }) {
  const call = useCurrentCall();
  usePoppedCall(form, call);
  return call && <CallPop call={call} onClose={() => dismissCall(call.callId)} />;
}

function usePoppedCall(form: FormInstance<Values>, call: CurrentCall | null) {
  const profile = useQuery({ ...callerQuery(call?.callId ?? ''), enabled: !!call });
  const filled = useRef<string | null>(null);
  useEffect(() => {
    if (!call || !profile.data || filled.current === call.callId) return;
    filled.current = call.callId;
    const phone = profile.data.phone;
    // restored after a reload, the form may hold the agent's work on this very call: keep it
    if (call.arrivedAt !== null) form.resetFields();
    if (phone && !phone.includes('*') && !form.getFieldValue('phone')) form.setFieldsValue({ phone });
    // after the fields the reset draws again (the number's field, drawn again, would take the cursor)
    const id = setTimeout(() => (form.getFieldInstance('title') as HTMLInputElement | undefined)?.focus(), 0);
    return () => clearTimeout(id);
  }, [call, profile.data, form]);
}

export function IntakePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  // the suggestion as typed, kept outside the page's state: only the parts that show it draw again
  const suggestions = useSuggestionStore();
  const requestTypes = useRequestTypes();
  const register = useRegisterOrder();
  const queryClient = useQueryClient();
  const notTheLead = useNotTheLead();

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
    const during = currentCall(); // the call the order is registered during
    try {
      // the category chosen, else the one suggested for the text as it is now (the one drawn may be for an earlier text)
      const categoryCode = v.categoryCode ?? (suggestible(v.body)
        ? (await queryClient.fetchQuery(suggestionQuery(v.title, v.body, v.area))).category?.code : undefined);
      const order = await register.mutateAsync({
        channel: 'phone', requestType: v.requestType, categoryCode, title: v.title, body: v.body,
        citizen: { name: v.name || undefined, phone: v.phone, address: v.address || undefined }, urgency: v.urgency, confidential: v.confidential,
        location: { areaCode: v.area, address: v.address || undefined }, callId: during?.callId,
      });
      orderId = order.id;
      // the caller has hung up and their order is in: the pop has done its work
      if (during?.ended) dismissCall(during.callId);
      if (mode === 'dispatch') {
        // the unit chosen, else the first the routing suggests for the category and place as registered
        const unitId = v.unitId ?? data(await api.GET('/api/v1/orders/{id}/suggested-units', { params: { path: { id: order.id } } }))[0]?.unit.id;
        if (!unitId) throw new Error(t('intake.noUnit'));
        const coUnitIds = (v.coUnitIds ?? []).filter((id) => id !== unitId); // the lead is not its own co-handler
        await api.POST('/api/v1/orders/{id}/actions/{action}', { params: { path: { id: order.id, action: 'dispatch' } },
          body: { unitId, coUnitIds: coUnitIds.length ? coUnitIds : undefined } });
      } else if (mode === 'answer') {
        await api.POST('/api/v1/orders/{id}/actions/{action}', { params: { path: { id: order.id, action: 'answer_directly' } },
          body: { text: v.answer, articleId: v.articleId } });
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
    <Card title={t('menu.intake')} extra={<SeatBar />}>
      <CallPopOf form={form} />
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <SuggestionFeed form={form} store={suggestions} />
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
            <WarningsHereOf form={form} />
            <Form.Item label={t('order.address')} name="address"><Input /></Form.Item>
          </Col>
          <Col xs={24} lg={10}>
            <CallerHistoryOf form={form} />
            <CategoryField form={form} store={suggestions} />
            <Form.Item label={t('order.requestType')} name="requestType" rules={[{ required: true }]}>
              <Select options={(requestTypes.data ?? []).map((r) => ({ value: r.code, label: nameIn(i18n.language, r) }))} />
            </Form.Item>
            <Form.Item label={t('order.urgency')} name="urgency">
              <Radio.Group options={[{ value: 'normal', label: t('order.normal') }, { value: 'urgent', label: t('order.urgent') }]} />
            </Form.Item>
            <Form.Item label={t('order.confidential')} name="confidential" valuePropName="checked"><Switch /></Form.Item>
            <UnitField form={form} store={suggestions} />
            <Form.Item label={t('order.coUnits')} name="coUnitIds" extra={t('order.coHint')} dependencies={['unitId']} rules={[notTheLead]}>
              <UnitSearch<string[]> multiple />
            </Form.Item>
            <Form.Item label={t('intake.answerText')} name="answer"><Input.TextArea rows={3} /></Form.Item>
            <Form.Item name="articleId" hidden><Input /></Form.Item>
            <Form.Item name="articleTitle" hidden><Input /></Form.Item>
            <AnswerGround form={form} />
            <Signals store={suggestions} />
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" loading={register.isPending && mode === 'dispatch'} onClick={() => finish('dispatch')}>{t('intake.dispatch')} (Ctrl+Enter)</Button>
          <Button loading={register.isPending && mode === 'answer'} onClick={() => finish('answer')}>{t('intake.answer')} (Ctrl+Shift+Enter)</Button>
          <Button type="text" loading={register.isPending && mode === 'register'} onClick={() => finish('register')}>{t('intake.registerOnly')}</Button>
        </Space>
      </Form>
      <Row gutter={[24, 24]} style={{ marginTop: 24 }}>
        <Col xs={24} lg={14}><Card size="small" title={t('knowledge.suggest.title')}>
          <AfterPaint><KnowledgeOf form={form} /></AfterPaint>
        </Card></Col>
        <Col xs={24} lg={10}><Card size="small" title={t('intake.similar')}>
          <AfterPaint><SimilarToText store={suggestions} /></AfterPaint>
        </Card></Col>
        <Col xs={24}><Card size="small" title={t('intake.mine')}><AfterPaint><MyRecentOrders /></AfterPaint></Card></Col>
      </Row>
    </Card>
  );
}
