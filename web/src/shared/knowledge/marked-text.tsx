// A text with the words a search found marked (<mark>), from the server's ranges: no HTML is built
// from the text, so an article's content can never inject markup.
import type { Marked } from './api';

export function MarkedText({ value }: { value: Marked }) {
  const parts: React.ReactNode[] = [];
  let at = 0;
  for (const [start = 0, end = 0] of value.marks) {
    if (start > at) parts.push(value.text.slice(at, start));
    parts.push(<mark key={start} style={{ background: '#fde68a', color: 'inherit', padding: 0 }}>{value.text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(value.text.slice(at));
  return <>{parts}</>;
}
