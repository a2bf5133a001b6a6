// Checks one submitted interaction and turns it into the event CEI stores and
// publishes, or into a reason that names the field to fix. Pure: no I/O.
import {
  INTERACTION_KINDS,
  KIND_VARIANTS,
  PAGE_VISIT_SOURCES,
  EMAIL_CHANNELS,
  FEATURE_KEY_MAX_LENGTH,
  FEATURE_KINDS,
  type InteractionKind,
  type InteractionRecorded,
} from '@cei/contracts';
import { checkIdentify } from './traits';

export interface InteractionInput {
  id: string;
  kind: string;
  contactId?: string | null;
  email?: string | null;
  occurredAt?: string | null;
  source?: string | null;
  channel?: string | null;
  properties?: unknown;
}

export const LIMITS = {
  idLength: 200,
  propertiesBytes: 8 * 1024,
  futureSkewMs: 5 * 60_000,
  earliest: Date.parse('2000-01-01T00:00:00Z'),
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const KINDS: ReadonlySet<string> = new Set(INTERACTION_KINDS);

export type Validated = { ok: true; event: InteractionRecorded } | { ok: false; reason: string };

/** Kinds only CEI records (mergeContacts); a client sending one is refused. */
const RECORDED_BY_CEI: ReadonlySet<string> = new Set<InteractionKind>(['CONTACT_MERGED']);

export function validateInteraction(
  input: InteractionInput,
  workspaceId: string,
  now: Date,
  opts: { byCei?: boolean } = {},
): Validated {
  const fail = (reason: string): Validated => ({ ok: false, reason });

  if (typeof input.id !== 'string' || input.id.trim() === '') return fail('id: required');
  if (input.id.length > LIMITS.idLength) return fail(`id: at most ${LIMITS.idLength} characters`);
  if (!KINDS.has(input.kind)) {
    return fail(
      `kind: unknown kind '${String(input.kind).slice(0, 40)}'; expected one of ${INTERACTION_KINDS.join(', ')}`,
    );
  }
  const kind = input.kind as InteractionKind;
  if (RECORDED_BY_CEI.has(kind) && !opts.byCei) {
    return fail(`kind: ${kind} is recorded by CEI itself (mergeContacts); it cannot be sent`);
  }
  const contactId = input.contactId?.trim();
  if (!contactId) return fail('contactId: required (the id of the contact this interaction belongs to)');
  if (contactId.length > LIMITS.idLength) return fail(`contactId: at most ${LIMITS.idLength} characters`);
  if (input.email != null && (input.email.length > 320 || !EMAIL.test(input.email))) {
    return fail(`email: '${input.email.slice(0, 60)}' is not an email address`);
  }
  for (const [field, value] of [
    ['id', input.id],
    ['contactId', contactId],
    ['email', input.email],
  ] as const) {
    if (value?.includes(NUL)) return fail(`${field}: ${NUL_STORED}`);
  }

  let occurredAt = now;
  if (input.occurredAt != null) {
    occurredAt = new Date(input.occurredAt);
    if (Number.isNaN(occurredAt.getTime())) return fail('occurredAt: not an ISO-8601 date-time');
    if (occurredAt.getTime() > now.getTime() + LIMITS.futureSkewMs) {
      return fail('occurredAt: more than 5 minutes in the future (check the sender clock)');
    }
    if (occurredAt.getTime() < LIMITS.earliest) return fail('occurredAt: before 2000-01-01');
  }

  const variant = variantOf(kind, input);
  if (variant !== null && typeof variant === 'object') return fail(variant.reason);

  const properties = input.properties ?? {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    return fail('properties: must be a JSON object');
  }
  const size = Buffer.byteLength(JSON.stringify(properties), 'utf8');
  if (size > LIMITS.propertiesBytes) {
    return fail(`properties: ${size} bytes as JSON; at most ${LIMITS.propertiesBytes}`);
  }
  const unstorable = unstorableIn(properties, 'properties');
  if (unstorable !== null) return fail(unstorable);
  const usage = featureProblem(kind, properties as Record<string, unknown>);
  if (usage !== null) return fail(usage);

  let fields = properties as Record<string, unknown>;
  if (kind === 'IDENTIFY') {
    // The traits are checked here, so a wrong one is refused at the edge and never stored.
    const checked = checkIdentify(fields);
    if (!checked.ok) return fail(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    fields = checked.payload as Record<string, unknown>;
  }

  return {
    ok: true,
    event: {
      v: 1,
      workspaceId,
      interactionId: input.id,
      contactId,
      email: input.email ?? null,
      kind,
      variant,
      occurredAt: occurredAt.toISOString(),
      recordedAt: now.toISOString(),
      properties: fields,
    },
  };
}

/**
 * What the database cannot store in the properties, at any depth, named by its path: a name with a '.'
 * or starting with '$' (FerretDB v1 refuses the whole insert, and on MongoDB such a field cannot be
 * named in a query), or U+0000 in a name or a string. Refused here rather than failing the write of
 * the interactions stored with it.
 */
function unstorableIn(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? `${path}: ${NUL_STORED}` : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('.') || key.startsWith('$')) {
      return `${path}: the name '${key.slice(0, 60)}' cannot contain '.' or start with '$'`;
    }
    if (key.includes(NUL)) return `${path}: a name ${NUL_STORED}`;
    const found = unstorableIn(item, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** U+0000, which neither FerretDB v1 on PostgreSQL (jsonb) nor a MongoDB field name can hold. */
const NUL = '\u0000';
const NUL_STORED = 'contains the character U+0000, which cannot be stored';

/** FEATURE_USAGE / FEATURE_ERROR name the feature (what product usage is counted by); `error` is a flag or a message. */
function featureProblem(kind: InteractionKind, properties: Record<string, unknown>): string | null {
  if (!FEATURE_KINDS.has(kind)) return null;
  const { feature, error } = properties;
  if (typeof feature !== 'string' || feature.trim() === '') {
    return `properties.feature: required for ${kind} (the key of the feature used, as declared with createProductFeature)`;
  }
  if (feature.trim().length > FEATURE_KEY_MAX_LENGTH) {
    return `properties.feature: at most ${FEATURE_KEY_MAX_LENGTH} characters`;
  }
  if (error !== undefined && error !== null && typeof error !== 'boolean' && typeof error !== 'string') {
    return 'properties.error: true/false or a message (string)';
  }
  return null;
}

/** The page visit source or email channel; null for kinds without a variant. */
function variantOf(kind: InteractionKind, input: InteractionInput): string | null | { reason: string } {
  const allowed = KIND_VARIANTS[kind];
  if (kind === 'PAGE_VISIT') {
    if (input.channel != null) return { reason: 'channel: only EMAIL_OPEN and EMAIL_CLICK have a channel' };
    return pick('source', input.source, PAGE_VISIT_SOURCES);
  }
  if (allowed === EMAIL_CHANNELS) {
    if (input.source != null) return { reason: 'source: only PAGE_VISIT has a source' };
    return pick('channel', input.channel, EMAIL_CHANNELS);
  }
  if (input.source != null) return { reason: 'source: only PAGE_VISIT has a source' };
  if (input.channel != null) return { reason: 'channel: only EMAIL_OPEN and EMAIL_CLICK have a channel' };
  return null;
}

function pick(field: string, value: string | null | undefined, allowed: readonly string[]) {
  if (value == null) return null;
  return allowed.includes(value)
    ? value
    : { reason: `${field}: '${value.slice(0, 40)}' is not one of ${allowed.join(', ')}` };
}
