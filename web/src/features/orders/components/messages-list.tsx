// What the citizen was told about the order (by SMS, or on WeChat or Weibo where they wrote), and
// what became of each message: staff can tell a caller asking "did you tell me?" whether, when, on
// which channel, and whether the survey was answered.
import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { useFormatTime } from '../../../shared/format';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import type { MessageOfOrder } from '../api/messages';

const TONE_OF: Record<MessageOfOrder['status'], string[]> = {
  pending: TONES.info, sending: TONES.info, sent: TONES.success, failed: TONES.danger, unknown: TONES.warning, expired: TONES.warning,
};

export function MessagesList({ messages }: { messages: MessageOfOrder[] }) {
  const { t } = useTranslation();
  const when = useFormatTime();
  return (
    <Space direction="vertical" size={2}>
      {messages.map((m, i) => (
        <span key={i}>
          {t(`channels.${m.channel}`, { defaultValue: m.channel })} · {t(`messages.kind.${m.kind}`)}{' '}
          <ToneTag tone={TONE_OF[m.status]}>{t(`messages.status.${m.status}`)}</ToneTag>{' '}
          {when(m.sentAt ?? m.createdAt)}
          {m.answeredAt && ` · ${t('messages.answered', { at: when(m.answeredAt) })}`}
        </span>
      ))}
    </Space>
  );
}
