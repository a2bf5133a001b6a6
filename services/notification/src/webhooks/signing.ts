// Standard Webhooks signatures with the `standardwebhooks` library (the reference
// implementation receivers use too): `webhook-signature` is a space-separated list of
// `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, one per secret that is valid
// now, so during a rotation's overlap a receiver holding either secret verifies.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { EndpointSecret } from './models';

/** A new secret, in the `whsec_<base64>` form receivers paste into their library. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The secrets that sign at `now`: the current one and any rotated-out one still in its overlap. */
export function signingSecrets(secrets: readonly EndpointSecret[], now: Date): string[] {
  return secrets.filter((s) => !s.expiresAt || s.expiresAt > now).map((s) => s.secret);
}

export function signedHeaders(
  secrets: readonly string[],
  deliveryId: string,
  at: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': deliveryId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(deliveryId, at, body)).join(' '),
    'user-agent': 'CEI-Webhooks/1',
  };
}
