// A Server-Sent Events client of the real gateway (graphql-sse, distinct connections),
// collecting results the way gateway-client's `subscribe` does for graphql-ws.
import { createClient } from 'graphql-sse';

export interface SseSubscription<T> {
  results: { data?: T; errors?: unknown[]; extensions?: { eventId?: string } }[];
  failures: unknown[];
  /** Resolves once the gateway answered with the event stream: the subscription is live. */
  connected: Promise<void>;
  /** Resolves once the stream ended, completed by the gateway or failed. */
  ended: Promise<void>;
  dispose(): void;
}

export function subscribeOverSse<T = Record<string, unknown>>(
  httpUrl: string,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): SseSubscription<T> {
  const results: SseSubscription<T>['results'] = [];
  const failures: unknown[] = [];
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  let onEnded!: () => void;
  const ended = new Promise<void>((resolve) => (onEnded = resolve));
  const client = createClient({
    url: httpUrl,
    headers: { authorization: `Bearer ${apiKey}` },
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe<T, { eventId?: string }>(
    { query, variables },
    {
      next: (result) => void results.push(result as SseSubscription<T>['results'][number]),
      error: (error) => {
        failures.push(error);
        onEnded();
      },
      complete: () => onEnded(),
    },
    { connected: () => onConnected() },
  );
  return {
    results,
    failures,
    connected,
    ended,
    dispose: () => {
      unsubscribe();
      client.dispose();
    },
  };
}
