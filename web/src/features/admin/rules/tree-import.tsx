// A whole tree imported from a CSV file, as a new version: the file is read in the browser and sent
// as text; the server's refusal (a bad line, a missing parent) is shown in words.
import { App, Alert, Button, Form, Input, Modal, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChangeTree } from './taxonomy-api';

export function TreeImport({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const change = useChangeTree();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => { setFile(null); setNote(''); setError(null); onClose(); };
  const submit = async () => {
    if (!file) return setError(t('admin.rules.taxonomy.fileNeeded'));
    setError(null);
    try {
      const saved = await change.mutateAsync({ note: note.trim() || t('admin.rules.taxonomy.noteImport', { file: file.name }), csv: file.csv });
      void message.success(t('admin.rules.taxonomy.imported', { version: saved.version }));
      close();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal open={open} title={t('admin.rules.taxonomy.importTitle')} okText={t('admin.rules.taxonomy.import')} cancelText={t('common.cancel')}
      confirmLoading={change.isPending} onOk={() => void submit()} onCancel={close} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('admin.rules.taxonomy.importHint')}</Typography.Paragraph>
      {error && <Alert role="alert" type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical">
        <Form.Item label={t('admin.rules.taxonomy.file')} extra={file && t('admin.rules.taxonomy.fileChosen', { name: file.name, lines: file.csv.trim().split('\n').length })}>
          <Upload accept=".csv,text/csv" maxCount={1} showUploadList={false} beforeUpload={(f) => {
            void f.text().then((csv) => { setFile({ name: f.name, csv: csv.replace(/^\uFEFF/, '') }); setError(null); });
            return false;
          }}>
            <Button>{t('admin.rules.taxonomy.chooseFile')}</Button>
          </Upload>
        </Form.Item>
        <Form.Item label={t('admin.rules.taxonomy.note')} htmlFor="tree-import-note" extra={t('admin.rules.taxonomy.noteHint')}>
          <Input id="tree-import-note" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoComplete="off" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
