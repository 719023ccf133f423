// Adding respondents: the callers of a period (about a category, in a place; all or a random
// sample), or a list of numbers pasted one per line.
import { App, DatePicker, Form, Input, InputNumber, Modal, Segmented, TreeSelect, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaSearch } from '../../../shared/area-search';
import { beijingToday } from '../../../shared/format';
import { useCategoryTree } from '../../../shared/category-tree';
import { useAddRespondents, type Survey } from '../api/surveys';

interface Values { range: [Dayjs, Dayjs]; categoryCode?: string; areaCode?: string; sample?: number; phones?: string }

export function RespondentsForm({ survey, onClose }: { survey: Survey; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [kind, setKind] = useState<'callers' | 'list'>('callers');
  const { tree } = useCategoryTree();
  const add = useAddRespondents();
  const submit = async (v: Values) => {
    const body = kind === 'list'
      ? { kind, phones: (v.phones ?? '').split(/\s*\n\s*/).filter(Boolean) }
      : { kind, from: v.range[0].format('YYYY-MM-DD'), to: v.range[1].format('YYYY-MM-DD'), categoryCode: v.categoryCode, areaCode: v.areaCode,
        sample: v.sample ?? undefined };
    const r = await add.mutateAsync({ id: survey.id, body });
    void message.success(t('surveys.respondents.added', r));
    onClose();
  };
  return (
    <Modal open title={t('surveys.respondents.title')} onCancel={onClose} onOk={() => form.submit()} okText={t('surveys.respondents.add')}
      confirmLoading={add.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('surveys.respondents.hint')}</Typography.Paragraph>
      <Segmented value={kind} onChange={(v) => setKind(v as typeof kind)} style={{ marginBottom: 16 }} aria-label={t('surveys.respondents.title')}
        options={[{ value: 'callers', label: t('surveys.respondents.callers') }, { value: 'list', label: t('surveys.respondents.list') }]} />
      <Form form={form} layout="vertical" initialValues={{ range: [beijingToday().subtract(30, 'day'), beijingToday()] }}
        onFinish={(v) => submit(v).catch((e: Error) => message.error(e.message))}>
        {kind === 'callers' ? <>
          <Form.Item label={`${t('surveys.respondents.from')} – ${t('surveys.respondents.to')}`} name="range"><DatePicker.RangePicker aria-label={t('surveys.respondents.from')} allowClear={false} /></Form.Item>
          <Form.Item label={t('surveys.respondents.category')} name="categoryCode">
            <TreeSelect treeData={tree} showSearch treeNodeFilterProp="title" allowClear aria-label={t('surveys.respondents.category')} />
          </Form.Item>
          <Form.Item label={t('surveys.respondents.area')} name="areaCode"><AreaSearch aria-label={t('surveys.respondents.area')} /></Form.Item>
          <Form.Item label={t('surveys.respondents.sample')} name="sample"><InputNumber min={1} max={100000} style={{ width: 160 }} /></Form.Item>
        </> : (
          <Form.Item label={t('surveys.respondents.phones')} name="phones" rules={[{ required: true }]}><Input.TextArea rows={8} /></Form.Item>
        )}
      </Form>
    </Modal>
  );
}
