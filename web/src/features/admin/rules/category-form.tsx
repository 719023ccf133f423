// A category added or changed in a modal: its code (when new), name, unit kind and time limit, and a
// note kept with the version the change writes. The server's refusal is shown in words.
import { App, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KNOWN_KINDS, useKindLabel } from './kinds';
import { useChangeTree, type Category } from './taxonomy-api';

export type Editing = { mode: 'add'; parent: Category | null; code: string } | { mode: 'edit'; category: Category };

interface Values { code: string; name: string; unitKind?: string; timeLimitDays?: number | null; note?: string }

/** The next free code under a parent: its code and the next two digits (0101 → 010103). */
export function nextCode(tree: Category[], parent: Category | null): string {
  const prefix = parent?.code ?? '';
  const taken = new Set(tree.map((c) => c.code));
  for (let n = 1; n < 1000; n++) {
    const code = prefix + String(n).padStart(2, '0');
    if (!taken.has(code)) return code;
  }
  return prefix;
}

export function CategoryForm({ editing, onClose }: { editing: Editing | null; onClose: (savedCode?: string) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const kind = useKindLabel();
  const change = useChangeTree();
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<Values>();
  const current = editing?.mode === 'edit' ? editing.category : null;
  const title = !editing ? '' : editing.mode === 'edit' ? t('admin.rules.taxonomy.editTitle', { name: editing.category.name })
    : editing.parent ? t('admin.rules.taxonomy.addTitle', { parent: editing.parent.name }) : t('admin.rules.taxonomy.addTopTitle');
  const submit = async (v: Values) => {
    if (!editing) return;
    setError(null);
    const unitKind = v.unitKind ?? null;
    const timeLimitDays = v.timeLimitDays ?? null;
    const code = editing.mode === 'add' ? v.code.trim() : editing.category.code;
    const note = v.note?.trim() || (editing.mode === 'add' ? t('admin.rules.taxonomy.noteAdd', { code, name: v.name })
      : t('admin.rules.taxonomy.noteEdit', { code }));
    try {
      const saved = await change.mutateAsync({ note, edits: [editing.mode === 'add'
        ? { op: 'add', node: { code, parentCode: editing.parent?.code ?? null, name: v.name.trim(), unitKind, timeLimitDays } }
        : { op: 'update', code, name: v.name.trim(), unitKind, timeLimitDays }] });
      void message.success(t('admin.rules.taxonomy.saved', { version: saved.version }));
      onClose(code);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal open={editing !== null} title={title} destroyOnHidden okText={t('common.submit')} cancelText={t('common.cancel')}
      confirmLoading={change.isPending} onCancel={() => { setError(null); onClose(); }} onOk={() => form.submit()}>
      {error && <Typography.Paragraph role="alert" type="danger">{error}</Typography.Paragraph>}
      <Form<Values> form={form} layout="vertical" preserve={false} onFinish={(v) => void submit(v)}
        initialValues={current ? { code: current.code, name: current.name, unitKind: current.unitKind ?? undefined, timeLimitDays: current.timeLimitDays }
          : { code: editing?.mode === 'add' ? editing.code : '', unitKind: editing?.mode === 'add' ? editing.parent?.unitKind ?? undefined : undefined }}>
        <Form.Item label={t('admin.rules.taxonomy.code')} name="code" extra={t('admin.rules.taxonomy.codeHint')}
          rules={[{ required: true, pattern: /^[A-Za-z0-9_.-]{1,32}$/, message: t('admin.rules.taxonomy.codeHint') }]}>
          <Input disabled={editing?.mode === 'edit'} autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('admin.rules.taxonomy.name')} name="name" rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item label={t('admin.rules.taxonomy.unitKind')} name="unitKind" extra={t('admin.rules.taxonomy.unitKindHint')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }}
            options={KNOWN_KINDS.map((k) => ({ value: k, label: kind(k) })).sort((a, b) => a.label.localeCompare(b.label))} />
        </Form.Item>
        <Form.Item label={t('admin.rules.taxonomy.timeLimit')} name="timeLimitDays" extra={t('admin.rules.taxonomy.timeLimitHint')}>
          <InputNumber min={1} max={60} precision={0} suffix={t('admin.rules.units.working_days')} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item label={t('admin.rules.taxonomy.note')} name="note" extra={t('admin.rules.taxonomy.noteHint')}>
          <Input maxLength={500} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
