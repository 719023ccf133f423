// The SMS the citizen was sent about the order, and what became of each: staff can tell a caller
// asking "did you text me?" whether, when, and whether the survey was answered.
import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import type { SmsOfOrder } from '../api/sms';

const TONE_OF: Record<SmsOfOrder['status'], string[]> = {
  pending: TONES.info, sending: TONES.info, sent: TONES.success, failed: TONES.danger, unknown: TONES.warning, expired: TONES.warning,
};

export function SmsList({ messages }: { messages: SmsOfOrder[] }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <Space direction="vertical" size={2}>
      {messages.map((m, i) => (
        <span key={i}>
          {t(`sms.kind.${m.kind}`)} <ToneTag tone={TONE_OF[m.status]}>{t(`sms.status.${m.status}`)}</ToneTag>
          {when(m.sentAt ?? m.createdAt)}
          {m.answeredAt && ` · ${t('sms.answered', { at: when(m.answeredAt) })}`}
        </span>
      ))}
    </Space>
  );
}
