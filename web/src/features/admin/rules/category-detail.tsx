// The chosen category: its code, path, level, unit kind and time limit, and what can be done to it
// (add a subcategory, change it, remove it when it has no subcategory).
import { App, Button, Descriptions, Empty, Popconfirm, Space, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useKindLabel, useLimitLabel } from './kinds';
import { useChangeTree, type Category } from './taxonomy-api';
import type { Editing } from './category-form';
import { nextCode } from './category-form';

export function CategoryDetail({ tree, code, editable, onEdit, onRemoved }: {
  tree: Category[]; code: string | null; editable: boolean; onEdit: (editing: Editing) => void; onRemoved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const kind = useKindLabel();
  const limit = useLimitLabel();
  const change = useChangeTree();
  const category = tree.find((c) => c.code === code);
  if (!category) return <Empty description={t('admin.rules.taxonomy.pick')} />;
  const path: string[] = [];
  for (let c: Category | undefined = category; c; c = tree.find((p) => p.code === c!.parentCode)) path.unshift(c.name);
  const hasChildren = tree.some((c) => c.parentCode === category.code);
  const remove = async () => {
    try {
      const saved = await change.mutateAsync({ note: t('admin.rules.taxonomy.noteRemove', { code: category.code, name: category.name }),
        edits: [{ op: 'remove', code: category.code }] });
      void message.success(t('admin.rules.taxonomy.saved', { version: saved.version }));
      onRemoved();
    } catch (e) {
      void message.error((e as Error).message);
    }
  };
  return (
    <>
      <Descriptions column={1} size="small" bordered title={category.name} items={[
        { key: 'code', label: t('admin.rules.taxonomy.code'), children: category.code },
        { key: 'path', label: t('admin.rules.taxonomy.path'), children: path.join(' / ') },
        { key: 'level', label: t('admin.rules.taxonomy.level'), children: t('admin.rules.taxonomy.levelN', { level: category.level }) },
        { key: 'kind', label: t('admin.rules.taxonomy.unitKind'), children: kind(category.unitKind) },
        { key: 'limit', label: t('admin.rules.taxonomy.timeLimit'), children: limit(category.timeLimitDays) },
      ]} />
      {editable && (
        <Space wrap style={{ marginTop: 16 }}>
          <Button type="primary" disabled={category.level >= 5}
            onClick={() => onEdit({ mode: 'add', parent: category, code: nextCode(tree, category) })}>{t('admin.rules.taxonomy.addChild')}</Button>
          <Button onClick={() => onEdit({ mode: 'edit', category })}>{t('admin.rules.taxonomy.edit')}</Button>
          {hasChildren ? (
            <Tooltip title={t('admin.rules.taxonomy.hasChildren')}><Button danger disabled>{t('admin.rules.taxonomy.remove')}</Button></Tooltip>
          ) : (
            <Popconfirm title={t('admin.rules.taxonomy.removeConfirm', { name: category.name })} okText={t('admin.rules.taxonomy.remove')}
              cancelText={t('common.cancel')} okButtonProps={{ danger: true, loading: change.isPending }} onConfirm={remove}>
              <Button danger>{t('admin.rules.taxonomy.remove')}</Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </>
  );
}
