import { useEffect } from 'react';

/**
 * Subscribes to a server-sent events stream while the component is mounted (`onData` gets each event's
 * parsed JSON). The browser reconnects by itself after a network blip; a stream the server ends on
 * purpose (the campaign finished) is closed here so it is not reopened.
 */
export function useEventSource<T>(
  url: string | null,
  onData: (data: T) => void,
  isFinal?: (data: T) => boolean,
  /** Named events (`event: <name>`) of the same stream, each with its handler. */
  named?: Record<string, (data: unknown) => void>,
) {
  useEffect(() => {
    if (!url) return;
    const source = new EventSource(url, { withCredentials: true });
    for (const [name, handler] of Object.entries(named ?? {}))
      source.addEventListener(name, (event: MessageEvent<string>) => handler(JSON.parse(event.data)));
    source.onmessage = (event: MessageEvent<string>) => {
      const data = JSON.parse(event.data) as T;
      onData(data);
      if (isFinal?.(data)) source.close();
    };
    return () => source.close();
    // onData/isFinal/named are callbacks recreated per render: the stream depends on the URL only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);
}
