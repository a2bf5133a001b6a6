// Webhook administration (admin keys only) and the delivery log (any key of the workspace).
// Endpoints are written here and nowhere else; after each write the workspace's `webhooks`
// configuration version is announced (config-versions.ts), so the fan-out and delivery
// consumers of every instance use the change for the next event they handle.
import { randomBytes } from 'node:crypto';
import { invalidFields, ERRORS, PHASES, QUALIFICATIONS, type FieldProblem } from '@cei/contracts';
import { publishEvent } from '@cei/nats';
import { requireRole } from '@cei/subgraph';
import type { NotificationContext } from '../server';
import type { DeliveryMessage } from './fanout';
import {
  WEBHOOK_EVENT_KINDS,
  type WebhookAttemptDoc,
  type WebhookEndpointDoc,
  type WebhookEventKind,
  type WebhookFilterDoc,
} from './models';
import { newSecret, signingSecrets } from './signing';
import { urlProblem } from './ssrf';

const MAX_FILTER_IDS = 1_000;
const MAX_PAGE = 200;
const MAX_REPLAY = 1_000;
const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;

interface FilterInput {
  phases?: readonly string[] | null;
  contactIds?: readonly string[] | null;
  qualifications?: readonly string[] | null;
  ownerIds?: readonly string[] | null;
  tags?: readonly string[] | null;
  minDelta?: number | null;
}

const filterOf = (input: FilterInput | null | undefined): Required<WebhookFilterDoc> => ({
  contactIds: [...(input?.contactIds ?? [])],
  phases: [...(input?.phases ?? [])],
  qualifications: [...(input?.qualifications ?? [])],
  ownerIds: [...(input?.ownerIds ?? [])],
  tags: [...(input?.tags ?? [])],
  minDelta: input?.minDelta ?? null,
});
interface EndpointInput {
  url?: string | null;
  kinds?: readonly string[] | null;
  filter?: FilterInput | null;
  description?: string | null;
  enabled?: boolean | null;
}

async function problemsOf(ctx: NotificationContext, input: EndpointInput, creating: boolean): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  if (input.url != null || creating) {
    const problem = await urlProblem(input.url ?? '', ctx.caller.workspaceId, ctx.webhooks.allow);
    if (problem) problems.push({ path: 'input.url', message: problem });
  }
  if (input.kinds != null || creating) {
    if (!input.kinds?.length) problems.push({ path: 'input.kinds', message: 'name at least one event kind' });
    else if (input.kinds.some((k) => !WEBHOOK_EVENT_KINDS.includes(k as WebhookEventKind)))
      problems.push({ path: 'input.kinds', message: `one of ${WEBHOOK_EVENT_KINDS.join(', ')}` });
  }
  const phases = input.filter?.phases ?? [];
  phases.forEach((p, i) => {
    if (!(PHASES as readonly string[]).includes(p))
      problems.push({ path: `input.filter.phases[${i}]`, message: `one of ${PHASES.join(', ')}` });
  });
  const qualifications = input.filter?.qualifications ?? [];
  qualifications.forEach((q, i) => {
    if (!(QUALIFICATIONS as readonly string[]).includes(q))
      problems.push({ path: `input.filter.qualifications[${i}]`, message: `one of ${QUALIFICATIONS.join(', ')}` });
  });
  for (const list of ['ownerIds', 'tags'] as const) {
    if ((input.filter?.[list] ?? []).length > MAX_FILTER_IDS)
      problems.push({ path: `input.filter.${list}`, message: `at most ${MAX_FILTER_IDS}` });
  }
  const minDelta = input.filter?.minDelta;
  if (minDelta != null && !(minDelta >= 0))
    problems.push({ path: 'input.filter.minDelta', message: 'a size (the absolute change): 0 or more' });
  const ids = input.filter?.contactIds ?? [];
  if (ids.length > MAX_FILTER_IDS)
    problems.push({ path: 'input.filter.contactIds', message: `at most ${MAX_FILTER_IDS} contact ids` });
  if ((input.description ?? '').length > 500)
    problems.push({ path: 'input.description', message: 'at most 500 characters' });
  return problems;
}

async function endpointDoc(ctx: NotificationContext, id: string): Promise<WebhookEndpointDoc> {
  const doc = await ctx.webhooks.models.WebhookEndpoints.findById(`${ctx.caller.workspaceId}:${id}`).lean();
  if (!doc)
    throw ERRORS.NOT_FOUND.err(`no webhook endpoint "${id}" in this workspace`, {
      fields: [{ path: 'id', message: 'not found' }],
    });
  return doc as WebhookEndpointDoc;
}

async function present(ctx: NotificationContext, doc: WebhookEndpointDoc) {
  const health = await ctx.webhooks.models.WebhookHealth.findById(doc._id).lean();
  const disabled = health?.disabledAt && health.disabledAt > doc.enabledAt ? health : null;
  return {
    id: doc.id,
    url: doc.url,
    description: doc.description,
    kinds: doc.kinds,
    filter: filterOf(doc.filter),
    enabled: doc.enabled,
    disabledAt: disabled?.disabledAt ?? null,
    disabledReason: disabled?.disabledReason ?? null,
    failingSince: health?.failingSince ?? null,
    lastSuccessAt: health?.lastSuccessAt ?? null,
    activeSecrets: signingSecrets(doc.secrets, new Date()).length,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

const toAttempt = (a: WebhookAttemptDoc) => ({
  id: a._id,
  deliveryId: a.deliveryId,
  run: a.run,
  attempt: a.attempt,
  type: a.type,
  contactId: a.contactId,
  eventId: a.eventId,
  at: a.at,
  outcome: a.outcome,
  statusCode: a.statusCode ?? null,
  latencyMs: a.latencyMs,
  responseExcerpt: a.responseExcerpt ?? '',
  error: a.error ?? null,
});

async function replay(ctx: NotificationContext, attempt: WebhookAttemptDoc): Promise<string> {
  const run = `replay-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  const message: DeliveryMessage = {
    v: 1,
    workspaceId: attempt.workspaceId,
    endpointId: attempt.endpointId,
    deliveryId: attempt.deliveryId,
    run,
    contactId: attempt.contactId,
    eventId: attempt.eventId,
    type: attempt.type,
    body: attempt.body,
  };
  const { topology, js } = ctx.webhooks;
  await publishEvent(
    js,
    topology.subjects.webhookDelivery(attempt.workspaceId, attempt.endpointId),
    message,
    `${attempt.deliveryId}:${run}`,
  );
  return run;
}

const decodeCursor = (cursor: string): { at: Date; id: string } => {
  const [at, ...id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || id.length === 0)
    throw invalidFields([{ path: 'after', message: 'not a cursor this query returned' }]);
  return { at: date, id: id.join('|') };
};

export const webhookQueries = {
  webhookEndpoints: async (_: unknown, __: unknown, ctx: NotificationContext) => {
    const docs = (await ctx.webhooks.models.WebhookEndpoints.find({
      workspaceId: ctx.caller.workspaceId,
    }).lean()) as WebhookEndpointDoc[];
    docs.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
    return Promise.all(docs.map((d) => present(ctx, d)));
  },
  webhookEndpoint: async (_: unknown, { id }: { id: string }, ctx: NotificationContext) => {
    const doc = await ctx.webhooks.models.WebhookEndpoints.findById(`${ctx.caller.workspaceId}:${id}`).lean();
    return doc ? present(ctx, doc as WebhookEndpointDoc) : null;
  },
  webhookDeliveryLog: async (
    _: unknown,
    { endpointId, first, after }: { endpointId: string; first?: number | null; after?: string | null },
    ctx: NotificationContext,
  ) => {
    const size = first ?? 50;
    if (size < 1 || size > MAX_PAGE) throw invalidFields([{ path: 'first', message: `between 1 and ${MAX_PAGE}` }]);
    await endpointDoc(ctx, endpointId);
    const cursor = after ? decodeCursor(after) : null;
    const filter = {
      workspaceId: ctx.caller.workspaceId,
      endpointId,
      ...(cursor ? { at: { $lte: cursor.at } } : {}),
    };
    // Off the event path (an admin's page): a scan on FerretDB, an index range on MongoDB.
    const docs = (await ctx.webhooks.models.WebhookAttempts.find(filter)
      .sort({ at: -1, _id: -1 })
      .limit(size + 1 + 100)
      .lean()) as WebhookAttemptDoc[];
    const page = docs.filter((d) => !cursor || d.at < cursor.at || d._id < cursor.id).slice(0, size + 1);
    const more = page.length > size;
    const attempts = page.slice(0, size);
    const last = attempts.at(-1);
    return {
      attempts: attempts.map(toAttempt),
      nextCursor: more && last ? Buffer.from(`${last.at.toISOString()}|${last._id}`).toString('base64url') : null,
    };
  },
};

export const webhookMutations = {
  createWebhookEndpoint: async (_: unknown, { input }: { input: EndpointInput }, ctx: NotificationContext) => {
    requireRole(ctx.caller, 'admin');
    const problems = await problemsOf(ctx, input, true);
    if (problems.length) throw invalidFields(problems);
    const id = `we_${randomBytes(12).toString('base64url')}`;
    const now = new Date();
    const secret = newSecret();
    const doc: WebhookEndpointDoc = {
      _id: `${ctx.caller.workspaceId}:${id}`,
      workspaceId: ctx.caller.workspaceId,
      id,
      url: input.url!,
      description: input.description ?? '',
      kinds: [...new Set(input.kinds as WebhookEventKind[])],
      filter: filterOf(input.filter),
      enabled: input.enabled ?? true,
      enabledAt: now,
      secrets: [{ secret, createdAt: now, expiresAt: null }],
      createdAt: now,
      updatedAt: now,
    };
    await ctx.webhooks.models.WebhookEndpoints.create(doc);
    await ctx.webhooks.endpoints.changed(ctx.caller.workspaceId);
    return { endpoint: await present(ctx, doc), secret };
  },
  updateWebhookEndpoint: async (
    _: unknown,
    { id, input }: { id: string; input: EndpointInput },
    ctx: NotificationContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    const doc = await endpointDoc(ctx, id);
    const problems = await problemsOf(ctx, input, false);
    if (problems.length) throw invalidFields(problems);
    const now = new Date();
    const next: WebhookEndpointDoc = {
      ...doc,
      url: input.url ?? doc.url,
      kinds: input.kinds ? [...new Set(input.kinds as WebhookEventKind[])] : doc.kinds,
      filter: input.filter ? filterOf(input.filter) : doc.filter,
      description: input.description ?? doc.description,
      enabled: input.enabled ?? doc.enabled,
      // Enabling (again) clears a disable by failures: its health starts over.
      enabledAt: input.enabled === true ? now : doc.enabledAt,
      updatedAt: now,
    };
    await ctx.webhooks.models.WebhookEndpoints.replaceOne({ _id: doc._id }, next);
    await ctx.webhooks.endpoints.changed(ctx.caller.workspaceId);
    return present(ctx, next);
  },
  rotateWebhookSecret: async (
    _: unknown,
    { id, overlapSeconds }: { id: string; overlapSeconds?: number | null },
    ctx: NotificationContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    const overlap = overlapSeconds ?? 86_400;
    if (overlap < 0 || overlap > MAX_OVERLAP_SECONDS)
      throw invalidFields([{ path: 'overlapSeconds', message: `between 0 and ${MAX_OVERLAP_SECONDS}` }]);
    const doc = await endpointDoc(ctx, id);
    const now = new Date();
    const until = new Date(now.getTime() + overlap * 1000);
    const secret = newSecret();
    const next: WebhookEndpointDoc = {
      ...doc,
      // Secrets still signing end at the overlap at the latest; expired ones are dropped.
      secrets: [
        ...doc.secrets
          .filter((s) => !s.expiresAt || s.expiresAt > now)
          .map((s) => ({ ...s, expiresAt: s.expiresAt && s.expiresAt < until ? s.expiresAt : until })),
        { secret, createdAt: now, expiresAt: null },
      ],
      updatedAt: now,
    };
    await ctx.webhooks.models.WebhookEndpoints.replaceOne({ _id: doc._id }, next);
    await ctx.webhooks.endpoints.changed(ctx.caller.workspaceId);
    return { endpoint: await present(ctx, next), secret };
  },
  replayWebhookDelivery: async (
    _: unknown,
    { endpointId, deliveryId }: { endpointId: string; deliveryId: string },
    ctx: NotificationContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    await endpointDoc(ctx, endpointId);
    const attempt = (await ctx.webhooks.models.WebhookAttempts.findOne({
      workspaceId: ctx.caller.workspaceId,
      endpointId,
      deliveryId,
    }).lean()) as WebhookAttemptDoc | null;
    if (!attempt)
      throw ERRORS.NOT_FOUND.err(`no delivery "${deliveryId}" of endpoint "${endpointId}"`, {
        fields: [{ path: 'deliveryId', message: 'not found' }],
      });
    return replay(ctx, attempt);
  },
  replayWebhookDeliveries: async (
    _: unknown,
    { endpointId, from, to }: { endpointId: string; from: Date; to: Date },
    ctx: NotificationContext,
  ) => {
    requireRole(ctx.caller, 'admin');
    if (!(from < to)) throw invalidFields([{ path: 'to', message: 'must be after from' }]);
    await endpointDoc(ctx, endpointId);
    const docs = (await ctx.webhooks.models.WebhookAttempts.find({
      workspaceId: ctx.caller.workspaceId,
      endpointId,
      at: { $gte: from, $lt: to },
    })
      .sort({ at: 1, _id: 1 })
      .lean()) as WebhookAttemptDoc[];
    const firsts = new Map<string, WebhookAttemptDoc>();
    for (const d of docs) if (!firsts.has(d.deliveryId)) firsts.set(d.deliveryId, d);
    if (firsts.size > MAX_REPLAY)
      throw invalidFields([
        { path: 'to', message: `${firsts.size} deliveries in range; at most ${MAX_REPLAY} at once: narrow it` },
      ]);
    for (const attempt of firsts.values()) await replay(ctx, attempt);
    return firsts.size;
  },
};
