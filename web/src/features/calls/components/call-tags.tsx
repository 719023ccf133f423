// How a call's outcome, handling and transfers read, the same in the list and the drawer.
import { Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { TONES, ToneTag } from '../../../shared/tone-tag';
import type { CallRow } from '../api/list-calls';

const OUTCOME_TONES: Record<NonNullable<CallRow['outcome']>, string[]> = {
  answered: TONES.success, transferred: TONES.info, abandoned: TONES.danger, unanswered: TONES.warning,
};

/** The outcome of an ended call; the state of one still going on. */
export function OutcomeTag({ call }: { call: Pick<CallRow, 'state' | 'outcome'> }) {
  const { t } = useTranslation();
  return call.outcome
    ? <ToneTag tone={OUTCOME_TONES[call.outcome]}>{t(`calls.outcomes.${call.outcome}`)}</ToneTag>
    : <ToneTag tone={TONES.neutral}>{t(`calls.states.${call.state}`)}</ToneTag>;
}

export function HandlingTag({ handling }: { handling: CallRow['handling'] }) {
  const { t } = useTranslation();
  if (!handling) return <>—</>;
  return <ToneTag tone={handling === 'registered' ? TONES.info : TONES.success}>{t(`calls.handlings.${handling}`)}</ToneTag>;
}

/** "转110", "转坐席 2003": where the call was passed on. */
export function useTransferText() {
  const { t } = useTranslation();
  return (tr: { kind: string; value: string }) => t(`calls.transfer.${tr.kind}`, { value: tr.value, defaultValue: tr.value });
}

export function Transfers({ transfers }: { transfers: CallRow['transfers'] }) {
  const text = useTransferText();
  if (transfers.length === 0) return <>—</>;
  return <Space size={4} wrap>{transfers.map((tr) => <ToneTag key={tr.at + tr.value} tone={tr.kind === 'desk' ? TONES.danger : TONES.neutral}>{text(tr)}</ToneTag>)}</Space>;
}
