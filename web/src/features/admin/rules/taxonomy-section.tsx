// The category tree (分类体系): browsed as a tree filtered as one types, any version viewed (newest
// first), changed node by node (each change a new version), imported whole from CSV, exported as CSV.
import { Alert, App, Button, Col, Form, Row, Select, Space, Spin } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../shared/error-notice';
import { useFormatTime } from '../../../shared/format';
import { CategoryDetail } from './category-detail';
import { CategoryForm, nextCode, type Editing } from './category-form';
import { CategoryTree } from './category-tree';
import { downloadTreeCsv, useTree, useTreeVersions } from './taxonomy-api';
import { TreeImport } from './tree-import';

export function TaxonomySection() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const when = useFormatTime();
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const versions = useTreeVersions();
  const tree = useTree(version);
  const newest = versions.data?.[0]?.version;
  const isCurrent = version === undefined || version === newest;
  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadTreeCsv(version ?? newest);
      void message.success(t('admin.rules.taxonomy.exported', { version: version ?? newest }));
    } catch (e) {
      void message.error((e as Error).message);
    } finally {
      setExporting(false);
    }
  };
  return (
    <>
      {(versions.error || tree.error) && <ErrorNotice error={versions.error ?? tree.error} />}
      <Space wrap align="end" style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
        <Form layout="inline"><Form.Item label={t('admin.rules.taxonomy.version')} htmlFor="taxonomy-version" style={{ marginBottom: 0 }}>
          <Select id="taxonomy-version" style={{ width: 560 }} popupMatchSelectWidth={false} loading={versions.isLoading} value={version ?? newest}
            onChange={(v: number) => { setVersion(v === newest ? undefined : v); setSelected(null); }}
            options={(versions.data ?? []).map((v) => ({ value: v.version, label: t('admin.rules.taxonomy.versionOption', {
              version: v.version, count: v.categories, at: when(v.createdAt),
              note: (v.version === newest ? t('admin.rules.taxonomy.current') : '') + (v.note ? ` · ${v.note}` : '') }) }))} />
        </Form.Item></Form>
        <Space wrap>
          <Button onClick={() => void exportCsv()} loading={exporting}>{t('admin.rules.taxonomy.export')}</Button>
          <Button onClick={() => setImporting(true)}>{t('admin.rules.taxonomy.import')}</Button>
          <Button type="primary" disabled={!isCurrent} onClick={() => setEditing({ mode: 'add', parent: null, code: nextCode(tree.data ?? [], null) })}>
            {t('admin.rules.taxonomy.addTop')}
          </Button>
        </Space>
      </Space>
      {!isCurrent && (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('admin.rules.taxonomy.oldVersion', { version })}
          action={<Button size="small" onClick={() => setVersion(undefined)}>{t('admin.rules.taxonomy.showCurrent')}</Button>} />
      )}
      <Spin spinning={tree.isLoading}>
        <Row gutter={24}>
          <Col xs={24} lg={14}><CategoryTree tree={tree.data ?? []} selected={selected} onSelect={setSelected} /></Col>
          <Col xs={24} lg={10}>
            <CategoryDetail tree={tree.data ?? []} code={selected} editable={isCurrent} onEdit={setEditing} onRemoved={() => setSelected(null)} />
          </Col>
        </Row>
      </Spin>
      <CategoryForm editing={editing} onClose={(code) => { setEditing(null); if (code) setSelected(code); }} />
      <TreeImport open={importing} onClose={() => setImporting(false)} />
    </>
  );
}
