// What a training run and a model's outcome mean, in words: the server records them as English text
// (a skipped run's reason, a model's decision), read here into the user's language.
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Run } from './classifier-api';

const r = 'admin.rules.classifier';

export function useRunWords() {
  const { t } = useTranslation();
  const reason = useCallback((why: string) => {
    const few = /^(\d+) examples, fewer than the (\d+) needed$/.exec(why);
    if (few) return t(`${r}.tooFew`, { n: few[1], min: few[2] });
    if (why === 'fewer than two labels to tell apart') return t(`${r}.fewLabels`);
    if (why === 'nothing to hold back for scoring') return t(`${r}.noHeldBack`);
    return why;
  }, [t]);
  const target = useCallback((name: string) => t(`${r}.targets.${name}`, { defaultValue: name }), [t]);
  const decision = useCallback((text: string) => {
    if (text.startsWith('first model')) return t(`${r}.decisions.first`);
    const n = /same (\d+) held-back/.exec(text)?.[1];
    if (text.startsWith('better') && n) return t(`${r}.decisions.better`, { n });
    if (text.startsWith('not better') && n) return t(`${r}.decisions.notBetter`, { n });
    return text;
  }, [t]);
  /** A run's detail as sentences: the models made, why a target was skipped, or the error. */
  const detail = useCallback((run: Run): string[] => {
    if (run.status === 'running') return [t(`${r}.following`, { id: run.id })];
    if (run.status === 'failed') return [t(`${r}.failedWith`, { error: String(run.detail.error ?? '') })];
    const made = (run.detail.models ?? []) as { target: string; version: number; status: string; macroF1: number }[];
    const skipped = Object.entries((run.detail.skipped ?? {}) as Record<string, string>);
    return [
      ...made.map((m) => t(`${r}.madeModel`, { target: target(m.target), version: m.version,
        status: t(`${r}.statuses.${m.status}`, { defaultValue: m.status }), f1: m.macroF1.toFixed(3) })),
      ...skipped.map(([name, why]) => t(`${r}.skippedFor`, { target: target(name), why: reason(why) })),
    ];
  }, [t, target, reason]);
  return { detail, decision, target };
}
