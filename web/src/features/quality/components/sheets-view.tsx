// The scoring sheets: each with its items and their most; team leads and administrators write a new
// one, revise one (a new version that retires the old) or retire one. A sheet used for scores is
// never edited in place, so that every score keeps its meaning.
import { App, Button, Card, Empty, Form, Input, InputNumber, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHasRole } from '../../../app/session';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import { useCreateSheet, useRetireSheet, useSheets, type Sheet, type SheetBody } from '../api/sheets';

export function SheetsView() {
  const { t } = useTranslation();
  const when = useFormatTime();
  const editor = useHasRole('lead', 'admin');
  const sheets = useSheets();
  const retire = useRetireSheet();
  // the sheet being written: a new one (null) or a revision of one
  const [writing, setWriting] = useState<{ from: Sheet | null } | null>(null);
  return (
    <>
      <Typography.Paragraph type="secondary">{t('quality.sheets.hint')}</Typography.Paragraph>
      {editor && <Button type="primary" style={{ marginBottom: 16 }} onClick={() => setWriting({ from: null })}>{t('quality.sheets.create')}</Button>}
      {sheets.error && <ErrorNotice error={sheets.error} />}
      {retire.error && <ErrorNotice error={retire.error} />}
      {sheets.isSuccess && sheets.data.length === 0 && <Empty description={t('quality.sheets.empty')} />}
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        {sheets.data?.map((sheet) => (
          <Card key={sheet.id} size="small" title={<>{sheet.name}{' '}
            <ToneTag tone={sheet.active ? TONES.success : TONES.neutral}>{t(sheet.active ? 'quality.sheets.active' : 'quality.sheets.retired')}</ToneTag></>}
            extra={editor && sheet.active && (
              <Space>
                <Button size="small" onClick={() => setWriting({ from: sheet })}>{t('quality.sheets.revise')}</Button>
                <Popconfirm title={t('quality.sheets.retireConfirm')} onConfirm={() => retire.mutateAsync(sheet.id)}>
                  <Button size="small" danger>{t('quality.sheets.retire')}</Button>
                </Popconfirm>
              </Space>
            )}>
            <Table rowKey="label" size="small" pagination={false} dataSource={sheet.items}
              columns={[
                { title: t('quality.sheets.label'), dataIndex: 'label' },
                { title: t('quality.sheets.max'), dataIndex: 'max', align: 'right', width: 80 },
                { title: t('quality.sheets.guide'), dataIndex: 'guide', render: (g: string | null) => g ?? '—' },
              ]}
              footer={() => <Typography.Text type="secondary">{t('quality.sheets.total', { total: sheet.total })} · {t('quality.sheets.createdAt', { time: when(sheet.createdAt) })}</Typography.Text>} />
          </Card>
        ))}
      </Space>
      {writing && <SheetForm from={writing.from} onDone={() => setWriting(null)} />}
    </>
  );
}

type Draft = { name: string; items: { label: string; max: number | null; guide?: string }[] };

function SheetForm({ from, onDone }: { from: Sheet | null; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Draft>();
  const create = useCreateSheet();
  const initial: Draft = from
    ? { name: from.name, items: from.items.map((i) => ({ label: i.label, max: i.max, guide: i.guide ?? '' })) }
    : { name: '', items: [{ label: '', max: 20, guide: '' }] };
  const save = async (draft: Draft) => {
    const body: SheetBody = { name: draft.name, items: draft.items.map((i) => ({ label: i.label, max: i.max!, guide: i.guide?.trim() || null })),
      ...(from ? { replaces: from.id } : {}) };
    await create.mutateAsync(body);
    message.success(t('quality.sheets.saved'));
    onDone();
  };
  return (
    <Modal open width={760} title={from ? `${t('quality.sheets.revise')} · ${from.name}` : t('quality.sheets.create')} onCancel={onDone}
      okText={t('quality.review.save')} confirmLoading={create.isPending} onOk={() => form.submit()}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(d) => void save(d).catch(() => undefined)}>
        <Form.Item name="name" label={t('quality.sheets.name')} rules={[{ required: true, whitespace: true, message: t('quality.sheets.nameRequired') }]}>
          <Input maxLength={80} />
        </Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item name={[field.name, 'label']} label={i === 0 ? t('quality.sheets.label') : undefined}
                    rules={[{ required: true, whitespace: true, message: t('quality.sheets.labelRequired') }]}>
                    <Input aria-label={`${t('quality.sheets.label')} ${i + 1}`} maxLength={40} style={{ width: 180 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'max']} label={i === 0 ? t('quality.sheets.max') : undefined}
                    rules={[{ required: true, message: t('quality.sheets.maxRequired') }]}>
                    <InputNumber aria-label={`${t('quality.sheets.max')} ${i + 1}`} min={1} max={100} precision={0} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'guide']} label={i === 0 ? t('quality.sheets.guide') : undefined}>
                    <Input aria-label={`${t('quality.sheets.guide')} ${i + 1}`} maxLength={400} style={{ width: 300 }} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)} disabled={fields.length === 1} style={{ marginTop: i === 0 ? 30 : 0 }}>
                    {t('quality.sheets.removeItem')}
                  </Button>
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ label: '', max: 20, guide: '' })} disabled={fields.length >= 30}>{t('quality.sheets.addItem')}</Button>
            </>
          )}
        </Form.List>
        {create.error && <div style={{ marginTop: 16 }}><ErrorNotice error={create.error} /></div>}
      </Form>
    </Modal>
  );
}
