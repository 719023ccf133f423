// Reading a Server-Sent Events stream as an EventSource does (for tests and benchmarks): each
// message's id, event and data, and the comments (heartbeats), in the order they arrive.

export interface ServerSentEvent {
  id: string | null;
  event: string;
  data: string;
}

/**
 * Opens `url` and calls `onMessage` for each message and `onComment` for each comment line until
 * the stream ends or `signal` aborts. Resolves with the HTTP status once the stream is over.
 */
export async function readEventStream(url: string, options: { headers?: Record<string, string>; signal: AbortSignal;
  onOpen?: (status: number) => void; onMessage: (message: ServerSentEvent) => void; onComment?: (line: string) => void }): Promise<number> {
  const res = await fetch(url, { headers: options.headers, signal: options.signal });
  options.onOpen?.(res.status);
  if (!res.ok || !res.body) return res.status;
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: ServerSentEvent = { id: null, event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) options.onComment?.(line);
          else if (line.startsWith('id: ')) message.id = line.slice(4);
          else if (line.startsWith('event: ')) message.event = line.slice(7);
          else if (line.startsWith('data: ')) message.data += line.slice(6);
        }
        if (message.data) options.onMessage(message);
      }
    }
  } catch (error) {
    if (!options.signal.aborted) throw error;
  }
  return res.status;
}
