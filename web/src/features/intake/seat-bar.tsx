// The agent's seat, in the form's header: sign in to the extension they sit at (its calls then pop
// up here), say whether they are ready, not ready and why, or finishing a call; sign out. Kept by
// the server: a reload, or another browser, shows the same seat.
import { App, Badge, Button, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BEIJING_TIME, localeOf } from '../../shared/format';
import { useMySeat, type Seat } from './api/get-my-seat';
import { useSetSeatState } from './api/set-seat-state';
import { useSignInToSeat } from './api/sign-in-to-seat';
import { useSignOutOfSeat } from './api/sign-out-of-seat';

/**
 * Why an agent is not ready, stored as these codes (the same whatever the language the agent reads,
 * and counted alike in reports); a reason the telephony or another client wrote is shown as it is.
 */
const REASONS = ['break', 'meal', 'training', 'meeting'] as const;
/** The select's choices: a state, or not ready with its reason, in one list the keyboard runs through. */
const CHOICES = ['ready', ...REASONS.map((r) => `not_ready:${r}`), 'after_call_work'] as const;

/** The state at a glance, beside the select that names it. */
const DOT: Record<Seat['state'], 'success' | 'warning' | 'processing' | 'default'> = { ready: 'success', not_ready: 'warning', after_call_work: 'processing', signed_out: 'default' };

const choiceOf = (seat: Seat) => (seat.state === 'not_ready' ? `not_ready:${seat.reason ?? ''}` : seat.state);

export function SeatBar() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  // the time of day is enough: a seat's state is of this shift
  const when = (at: string) => new Date(at).toLocaleTimeString(localeOf(i18n.language), { ...BEIJING_TIME, hour: '2-digit', minute: '2-digit' });
  const seat = useMySeat();
  const signIn = useSignInToSeat();
  const setState = useSetSeatState();
  const signOut = useSignOutOfSeat();
  const [extension, setExtension] = useState('');
  const failed = (e: unknown) => void message.error((e as Error).message);

  if (seat.isLoading) return null;
  const mine = seat.data?.state === 'signed_out' ? null : seat.data;
  if (!mine) {
    const enter = () => {
      const value = extension.trim();
      if (!/^[0-9A-Za-z_.-]{1,64}$/.test(value)) return void message.warning(t('seat.extensionInvalid'));
      signIn.mutate(value, { onError: failed, onSuccess: () => setExtension('') });
    };
    return (
      <Space.Compact aria-label={t('seat.label')} role="group">
        <Input aria-label={t('seat.extension')} placeholder={t('seat.extension')} value={extension} inputMode="numeric" autoComplete="off"
          style={{ width: 110 }} onChange={(e) => setExtension(e.target.value)} onPressEnter={enter} />
        <Button type="primary" loading={signIn.isPending} onClick={enter}>{t('seat.signIn')}</Button>
      </Space.Compact>
    );
  }
  const reasonLabel = (reason: string | null) => (reason && (REASONS as readonly string[]).includes(reason) ? t(`seat.reasons.${reason}`) : reason);
  const options = CHOICES.map((c) => {
    const [state, reason] = c.split(':');
    return { value: c, label: reason ? t('seat.notReadyFor', { reason: reasonLabel(reason) }) : t(`seat.states.${state}`) };
  });
  // a reason none of the choices has (set elsewhere) still shows
  if (!options.some((o) => o.value === choiceOf(mine))) options.push({ value: choiceOf(mine), label: t('seat.notReadyFor', { reason: mine.reason }) });
  return (
    <Space size="small" role="group" aria-label={t('seat.label')} wrap>
      <Typography.Text>{t('seat.at', { seat: mine.seat })}</Typography.Text>
      <Badge status={DOT[mine.state]} aria-hidden />
      <Select aria-label={t('seat.state')} value={choiceOf(mine)} options={options} style={{ width: 150 }} loading={setState.isPending}
        onChange={(c: string) => {
          const [state, reason] = c.split(':') as [Seat['state'], string | undefined];
          if (state !== 'signed_out') setState.mutate({ state, reason }, { onError: failed });
        }} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('seat.since', { time: when(mine.since) })}</Typography.Text>
      <Button loading={signOut.isPending} onClick={() => signOut.mutate(undefined, { onError: failed })}>{t('seat.signOut')}</Button>
    </Space>
  );
}
