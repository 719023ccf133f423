// A form in a dialog that calls the API: the refusal is shown inside it, in the server's words, and
// the dialog closes only when the call succeeded. Each opening mounts a new form (its initial values
// are the record's), and Enter submits it.
import { Button, Flex, Form, Modal, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

interface FormModalProps<V> {
  open: boolean;
  title: string;
  /** the values the form starts with */
  initialValues?: Partial<V>;
  /** calls the API; throws its refusal */
  submit: (values: V) => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}

export function FormModal<V extends object>({ open, title, initialValues, submit, onClose, children }: FormModalProps<V>) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finish = async (values: V) => {
    setError(null);
    setBusy(true);
    try {
      await submit(values);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={title} destroyOnHidden footer={null} onCancel={onClose} afterClose={() => setError(null)}>
      {error && <Typography.Paragraph role="alert" type="danger">{error}</Typography.Paragraph>}
      <Form<V> layout="vertical" initialValues={initialValues} onFinish={(v) => void finish(v)}>
        {children}
        <Flex justify="end" gap={8}>
          <Button onClick={onClose}>{t('admin.people.common.cancel')}</Button>
          <Button type="primary" htmlType="submit" loading={busy}>{t('admin.people.common.save')}</Button>
        </Flex>
      </Form>
    </Modal>
  );
}
