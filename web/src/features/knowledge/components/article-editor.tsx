// Writing an article: a new one (its owner unit chosen; a unit's staff write for their own unit), or
// the open version of one (a draft, one sent back, or a revision of the published article). Saved as
// a draft; submitting it for review is a step of its own, in the reader.
import { App, DatePicker, Form, Input, Modal, Select, Switch, TreeSelect } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useHasRole, useSession } from '../../../app/session';
import { useCategoryTree } from '../../../shared/category-tree';
import { UnitSearch } from '../../../shared/unit-search';
import { useCreateArticle, useWriteDraft, type Article, type Content } from '../api/articles';
import { useDistricts } from '../api/districts';

interface Values extends Omit<Content, 'validFrom' | 'validUntil'> { ownerUnitId?: string; validFrom?: Dayjs | null; validUntil?: Dayjs | null }

/** What the editor starts from: an article to write on, or a new one (from an order's proposal, or empty). */
export type Editing = { article: Article; initial?: undefined } | { article?: undefined; initial?: Partial<Content> & { ownerUnitId?: string | null; sourceOrderId?: string } };

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function ArticleEditor({ editing, onClose, onSaved }: { editing: Editing; onClose: () => void; onSaved: (article: Article) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const me = useSession().me;
  // a unit's staff write for their own unit; the hotline's editors choose the unit it belongs to
  const unitStaff = useHasRole('unit_handler', 'unit_manager');
  const hotlineEditor = useHasRole('agent', 'lead', 'admin');
  const forOwnUnit = unitStaff && !hotlineEditor;
  const { tree } = useCategoryTree();
  const districts = useDistricts();
  const create = useCreateArticle();
  const write = useWriteDraft();
  const existing = editing.article ?? null;
  const start: Partial<Content> & { ownerUnitId?: string | null } = existing ? (existing.open ?? existing.published ?? {}) : editing.initial ?? {};
  const sourceOrderId = editing.initial?.sourceOrderId;
  const required = (field: string) => [{ required: true, whitespace: true, message: t('knowledge.form.required', { field: t(`knowledge.form.${field}`) }) }];

  const save = async (v: Values) => {
    const content: Content = { title: v.title, questions: v.questions ?? [], answer: v.answer, categoryCodes: v.categoryCodes ?? [], areaCodes: v.areaCodes ?? [],
      public: v.public, validFrom: day(v.validFrom), validUntil: day(v.validUntil) };
    const saved = existing
      ? await write.mutateAsync({ id: existing.id, content })
      : await create.mutateAsync({ ownerUnitId: forOwnUnit ? me!.unitId! : v.ownerUnitId!, content, sourceOrderId });
    void message.success(t('knowledge.form.saved'));
    onSaved(saved);
  };

  return (
    <Modal open width={760} title={t(existing ? 'knowledge.form.editTitle' : 'knowledge.form.newTitle')} onCancel={onClose}
      okText={t('knowledge.form.save')} onOk={() => form.submit()} confirmLoading={create.isPending || write.isPending} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => save(v).catch((e: Error) => message.error(e.message))}
        initialValues={{ title: start.title, questions: start.questions ?? [], answer: start.answer, categoryCodes: start.categoryCodes ?? [],
          areaCodes: start.areaCodes ?? [], public: start.public ?? true, ownerUnitId: start.ownerUnitId ?? me?.unitId ?? undefined,
          validFrom: start.validFrom ? dayjs(start.validFrom) : null, validUntil: start.validUntil ? dayjs(start.validUntil) : null }}>
        {!existing && !forOwnUnit && (
          <Form.Item label={t('knowledge.form.owner')} name="ownerUnitId" rules={required('owner')}><UnitSearch<string> /></Form.Item>
        )}
        <Form.Item label={t('knowledge.form.title')} name="title" rules={[...required('title'), { max: 120 }]}><Input /></Form.Item>
        <Form.Item label={t('knowledge.form.questions')} name="questions" extra={t('knowledge.form.questionsHint')}>
          <Select mode="tags" open={false} tokenSeparators={['\n']} aria-label={t('knowledge.form.questions')} />
        </Form.Item>
        <Form.Item label={t('knowledge.form.answer')} name="answer" rules={required('answer')} extra={t('knowledge.form.answerHint')}>
          <Input.TextArea rows={8} maxLength={10_000} showCount />
        </Form.Item>
        <Form.Item label={t('knowledge.form.categories')} name="categoryCodes">
          <TreeSelect multiple treeData={tree} showSearch treeNodeFilterProp="title" allowClear aria-label={t('knowledge.form.categories')} />
        </Form.Item>
        <Form.Item label={t('knowledge.form.areas')} name="areaCodes" extra={t('knowledge.form.areasHint')}>
          <Select mode="multiple" allowClear aria-label={t('knowledge.form.areas')} options={districts.list.map((d) => ({ value: d.code, label: d.name }))} />
        </Form.Item>
        <Form.Item label={t('knowledge.form.public')} name="public" valuePropName="checked"><Switch /></Form.Item>
        <Form.Item label={t('knowledge.form.validUntil')} extra={t('knowledge.form.validHint')} style={{ marginBottom: 0 }}>
          <Form.Item name="validFrom" style={{ display: 'inline-block', marginRight: 12 }}>
            <DatePicker aria-label={t('knowledge.form.validFrom')} placeholder={t('knowledge.form.validFrom')} />
          </Form.Item>
          <Form.Item name="validUntil" style={{ display: 'inline-block' }}>
            <DatePicker aria-label={t('knowledge.form.validUntil')} placeholder={t('knowledge.form.validUntil')} />
          </Form.Item>
        </Form.Item>
      </Form>
    </Modal>
  );
}
