// Tags in colours whose text stays readable: each pair has a contrast of at least 4.5 (WCAG AA).
import { Tag } from 'antd';
import type { ReactNode } from 'react';

export const BLUE = ['#1e40af', '#dbeafe'], AMBER = ['#92400e', '#fef3c7'], TEAL = ['#115e59', '#ccfbf1'], RED = ['#991b1b', '#fee2e2'],
  GREEN = ['#166534', '#dcfce7'], GREY = ['#374151', '#f3f4f6'];

export const TONES = { info: BLUE, warning: AMBER, danger: RED, success: GREEN, neutral: GREY };

/** A tag whose text stays readable (contrast ≥ 4.5). */
export function ToneTag({ tone, children }: { tone: string[]; children: ReactNode }) {
  const [color, background] = tone;
  return <Tag style={{ color, background, borderColor: background }}>{children}</Tag>;
}
