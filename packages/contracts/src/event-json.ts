// An event as its stream holds it: JSON text, checked by its type's schema as it is read.
const utf8 = new TextDecoder();

/** The payload's JSON value (throws if it is not JSON). */
export function eventJson(data: Uint8Array): unknown {
  return JSON.parse(utf8.decode(data));
}

/** A decoder of one event type: the payload's JSON, parsed by the type's schema (throws naming what is wrong). */
export function eventDecoder<T>(schema: { parse(value: unknown): T }): (data: Uint8Array) => T {
  return (data) => schema.parse(eventJson(data));
}
