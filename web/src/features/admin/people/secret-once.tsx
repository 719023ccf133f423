// A secret (a password, an API key) shown this once, with a copy button and the warning that it
// cannot be seen again: the server keeps only its hash.
import { Alert, Button, Modal, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Secret {
  title: string;
  value: string;
  /** what to do with it, under the secret */
  note?: ReactNode;
}

export function SecretOnce({ secret, onClose }: { secret: Secret | null; onClose: () => void }) {
  const { t } = useTranslation();
  // the last secret stays in the dialog while it closes (its content is then destroyed)
  const [shown, setShown] = useState(secret);
  if (secret && secret !== shown) setShown(secret);
  return (
    <Modal open={secret !== null} title={shown?.title} onCancel={onClose} maskClosable={false} destroyOnHidden
      footer={<Button type="primary" onClick={onClose}>{t('admin.people.common.close')}</Button>}>
      <Alert type="warning" showIcon title={t('admin.people.common.shownOnce')} style={{ marginBottom: 16 }} />
      <Typography.Paragraph>
        <Typography.Text code strong style={{ fontSize: 16, wordBreak: 'break-all' }} data-secret=""
          copyable={{ text: shown?.value, tooltips: [t('admin.people.common.copy'), t('admin.people.common.copied')] }}>
          {shown?.value}
        </Typography.Text>
      </Typography.Paragraph>
      {shown?.note && <Typography.Paragraph type="secondary">{shown.note}</Typography.Paragraph>}
    </Modal>
  );
}
