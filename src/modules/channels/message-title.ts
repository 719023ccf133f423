// A message from a channel without a title of its own (an SMS, a WeChat text): its first words stand for one.

/** The first line, cut to 30 characters (an agent may correct it). */
export function titleOf(content: string): string {
  const firstLine = content.split(/\r?\n/)[0]!.trim();
  return firstLine.length <= 30 ? firstLine : `${firstLine.slice(0, 29)}…`;
}
