// The files the citizen sent with the order, each downloaded on a click.
import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { download, type Attachment } from '../api/attachments';

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export function AttachmentList({ orderId, attachments }: { orderId: string; attachments: Attachment[] }) {
  const { t } = useTranslation();
  if (attachments.length === 0) return <>—</>;
  return (
    <Space wrap>
      {attachments.map((a) => (
        <Button key={a.id} size="small" onClick={() => void download(orderId, a)} aria-label={t('order.download', { name: a.name })}>
          {a.name} · {size(a.size)}
        </Button>
      ))}
    </Space>
  );
}
