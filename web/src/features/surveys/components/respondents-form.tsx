// Adding respondents: the callers of a period (about a category, in a place; all or a random
// sample), a list of numbers pasted one per line, or a list file (Excel, CSV). A list's rows without
// a number are shown with their row numbers, the dialog left open, so the list can be put right.
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Segmented, TreeSelect, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AreaSearch } from '../../../shared/area-search';
import { beijingToday } from '../../../shared/format';
import { useCategoryTree } from '../../../shared/category-tree';
import { useAddRespondents, useUploadRespondents, type Survey } from '../api/surveys';

interface Values { range: [Dayjs, Dayjs]; categoryCode?: string; areaCode?: string; sample?: number; phones?: string }
type Added = Awaited<ReturnType<ReturnType<typeof useAddRespondents>['mutateAsync']>>;

export function RespondentsForm({ survey, onClose }: { survey: Survey; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [kind, setKind] = useState<'callers' | 'list' | 'file'>('callers');
  const [file, setFile] = useState<File | null>(null);
  const [read, setRead] = useState<Added | null>(null);
  const { tree } = useCategoryTree();
  const add = useAddRespondents();
  const upload = useUploadRespondents();
  const submit = async (v: Values) => {
    if (kind === 'file' && !file) return void message.error(t('surveys.respondents.fileRequired'));
    const r = kind === 'file' ? await upload.mutateAsync({ id: survey.id, file: file! })
      : await add.mutateAsync({ id: survey.id, body: kind === 'list'
        ? { kind, phones: (v.phones ?? '').split('\n') } // blank lines kept: a refused row's number is its line
        : { kind, from: v.range[0].format('YYYY-MM-DD'), to: v.range[1].format('YYYY-MM-DD'), categoryCode: v.categoryCode, areaCode: v.areaCode,
          sample: v.sample ?? undefined } });
    void message.success(t('surveys.respondents.added', r));
    if (r.refused?.count) setRead(r);
    else onClose();
  };
  return (
    <Modal open title={t('surveys.respondents.title')} onCancel={onClose} onOk={() => form.submit()} okText={t('surveys.respondents.add')}
      cancelText={read ? t('surveys.respondents.close') : undefined} confirmLoading={add.isPending || upload.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('surveys.respondents.hint')}</Typography.Paragraph>
      <Segmented value={kind} onChange={(v) => { setKind(v as typeof kind); setRead(null); }} style={{ marginBottom: 16 }} aria-label={t('surveys.respondents.title')}
        options={(['callers', 'list', 'file'] as const).map((value) => ({ value, label: t(`surveys.respondents.${value}`) }))} />
      <Form form={form} layout="vertical" initialValues={{ range: [beijingToday().subtract(30, 'day'), beijingToday()] }}
        onFinish={(v) => submit(v).catch((e: Error) => message.error(e.message))}>
        {kind === 'callers' ? <>
          <Form.Item label={`${t('surveys.respondents.from')} – ${t('surveys.respondents.to')}`} name="range"><DatePicker.RangePicker aria-label={t('surveys.respondents.from')} allowClear={false} /></Form.Item>
          <Form.Item label={t('surveys.respondents.category')} name="categoryCode">
            <TreeSelect treeData={tree} showSearch treeNodeFilterProp="title" allowClear aria-label={t('surveys.respondents.category')} />
          </Form.Item>
          <Form.Item label={t('surveys.respondents.area')} name="areaCode"><AreaSearch aria-label={t('surveys.respondents.area')} /></Form.Item>
          <Form.Item label={t('surveys.respondents.sample')} name="sample"><InputNumber min={1} max={100000} style={{ width: 160 }} /></Form.Item>
        </> : kind === 'list' ? (
          <Form.Item label={t('surveys.respondents.phones')} name="phones" rules={[{ required: true }]}><Input.TextArea rows={8} /></Form.Item>
        ) : (
          <Form.Item label={t('surveys.respondents.file')} extra={t('surveys.respondents.fileHint')} required>
            <Upload accept=".xlsx,.csv,.txt,text/csv,text/plain" maxCount={1} showUploadList={false}
              beforeUpload={(f) => { setFile(f); setRead(null); return false; }}>
              <Button>{t('surveys.respondents.choose')}</Button>
            </Upload>
            {file && <Typography.Text style={{ marginLeft: 12 }}>{t('surveys.respondents.chosen', { name: file.name })}</Typography.Text>}
          </Form.Item>
        )}
      </Form>
      {read && <ListRead read={read} />}
    </Modal>
  );
}

/** What a list's rows gave: the numbers added, and the rows without one by their numbers. */
function ListRead({ read }: { read: Added }) {
  const { t } = useTranslation();
  const refused = read.refused!;
  return (
    <Alert type="warning" showIcon role="status" title={t('surveys.respondents.read', { rows: read.rows, repeated: read.repeated, added: read.added })}
      description={<>
        <Typography.Text>{t('surveys.respondents.refused', { count: refused.count })}</Typography.Text>
        <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
          {refused.rows.map((r) => <li key={r.row}>{t('surveys.respondents.row', r)}</li>)}
        </ul>
        {refused.count > refused.rows.length && <Typography.Text type="secondary">{t('surveys.respondents.more', { count: refused.count - refused.rows.length })}</Typography.Text>}
      </>} />
  );
}
