// Rules, settings, feeds and the audit, per workspace: what the resolvers call. Every
// read and write is filtered by the caller's workspace; another workspace's rule, message
// or task is NOT_FOUND. Bad input is one BAD_USER_INPUT naming every wrong field; nothing changes.
import { randomUUID } from 'node:crypto';
import { ERRORS, invalidFields, PHASES, type FieldProblem } from '@cei/contracts';
import type { MessageEngine } from './engine';
import {
  ACTIONS,
  type Action,
  type Condition,
  type DeliveryDoc,
  type FeedStateDoc,
  type MessageDoc,
  type MessageModels,
  type QuietHours,
  type RuleDoc,
  type Trigger,
} from './models';
import { checkTemplates, renderTemplates } from './templates';
import { isTimeZone } from './quiet-hours';

export interface RuleInput {
  name: string;
  enabled?: boolean | null;
  trigger: Trigger;
  conditions?: Condition[] | null;
  actions: Action[];
  capHours?: number | null;
}

export const MAX_ACTIONS = 5;
export const MAX_CONDITIONS = 20;
export const MAX_PAGE = 100;

const notFound = (path: string, message: string) =>
  ERRORS.NOT_FOUND.err(`${path}: ${message}`, { fields: [{ path, message }] });

export function validateRule(input: RuleInput, at = 'input'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const bad = (path: string, message: string) => problems.push({ path: `${at}.${path}`, message });
  if (!input.name.trim() || input.name.length > 200) bad('name', 'must be 1 to 200 characters');
  const t = input.trigger;
  if (t.kind === 'PHASE_ENTERED' && !(PHASES as readonly string[]).includes(t.phase ?? ''))
    bad('trigger.phase', `must be one of ${PHASES.join(', ')}`);
  if (t.kind === 'QUALIFICATION_BECAME' && !['MQL', 'SQL'].includes(t.qualification ?? ''))
    bad('trigger.qualification', 'must be MQL or SQL');
  if (['SCORE_CROSSES', 'CHURN_ABOVE', 'TAG_SCORE_ABOVE'].includes(t.kind) && !Number.isFinite(t.threshold ?? NaN))
    bad('trigger.threshold', 'is required for this trigger');
  if (t.kind === 'CHURN_ABOVE' && t.threshold != null && (t.threshold < 0 || t.threshold > 1))
    bad('trigger.threshold', 'a likelihood is between 0 and 1');
  if (t.kind === 'TAG_SCORE_ABOVE' && !t.tag?.trim()) bad('trigger.tag', 'is required for TAG_SCORE_ABOVE');
  const conditions = input.conditions ?? [];
  if (conditions.length > MAX_CONDITIONS) bad('conditions', `at most ${MAX_CONDITIONS}`);
  conditions.forEach((c, i) => {
    if (c.field === 'TAG' && !c.tag?.trim()) bad(`conditions[${i}].tag`, 'is required for TAG');
    if (c.op !== 'SET' && c.op !== 'UNSET' && c.value == null) bad(`conditions[${i}].value`, `is required for ${c.op}`);
    if (['GT', 'GTE', 'LT', 'LTE'].includes(c.op) && c.value != null && !Number.isFinite(Number(c.value)))
      bad(`conditions[${i}].value`, `${c.op} compares numbers`);
  });
  if (input.actions.length < 1 || input.actions.length > MAX_ACTIONS) bad('actions', `1 to ${MAX_ACTIONS} actions`);
  input.actions.forEach((a, i) => {
    if (!(ACTIONS as readonly string[]).includes(a.kind))
      bad(`actions[${i}].kind`, `must be one of ${ACTIONS.join(', ')}`);
    if (a.kind === 'WEBHOOK' && !a.endpointId?.trim())
      bad(`actions[${i}].endpointId`, 'is required for WEBHOOK: the endpoint to post to');
    if (a.kind !== 'WEBHOOK' && a.endpointId != null) bad(`actions[${i}].endpointId`, 'only for WEBHOOK actions');
    problems.push(
      ...checkTemplates({ [`${at}.actions[${i}].subject`]: a.subject, [`${at}.actions[${i}].body`]: a.body }),
    );
  });
  if (input.capHours != null && !(input.capHours > 0)) bad('capHours', 'must be above 0 (or null: no cap)');
  return problems;
}

const toRule = (ws: string, id: string, input: RuleInput, createdAt: Date, now: Date): RuleDoc => ({
  _id: id,
  workspaceId: ws,
  name: input.name.trim(),
  enabled: input.enabled ?? false,
  trigger: {
    kind: input.trigger.kind,
    phase: input.trigger.phase ?? null,
    qualification: input.trigger.qualification ?? null,
    threshold: input.trigger.threshold ?? null,
    tag: input.trigger.tag ?? null,
  },
  conditions: (input.conditions ?? []).map((c) => ({
    field: c.field,
    op: c.op,
    tag: c.tag ?? null,
    value: c.value ?? null,
  })),
  actions: input.actions.map((a) => ({
    kind: a.kind,
    subject: a.subject,
    body: a.body,
    ...(a.kind === 'WEBHOOK' ? { endpointId: a.endpointId } : {}),
  })),
  capHours: input.capHours ?? null,
  createdAt,
  updatedAt: now,
});

interface Cursor {
  at: Date;
  id: string;
}
const encodeCursor = (m: { at: Date; _id: string }) =>
  Buffer.from(JSON.stringify([new Date(m.at).toISOString(), m._id])).toString('base64url');
function decodeCursor(after: string | null | undefined): Cursor | null {
  if (!after) return null;
  try {
    const [at, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad');
    return { at: date, id };
  } catch {
    throw invalidFields([{ path: 'after', message: 'not a cursor this query returned' }]);
  }
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
function parseHhmm(value: string): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

export function createMessageService(models: MessageModels, engine: MessageEngine, now: () => Date = () => new Date()) {
  async function ruleOf(ws: string, id: string, path = 'id'): Promise<RuleDoc> {
    const rule = await models.NotificationRule.findById(id).lean<RuleDoc>().exec();
    if (!rule || rule.workspaceId !== ws) throw notFound(path, `no notification rule ${id} in this workspace`);
    return rule;
  }

  /** A page of a workspace's messages matching `filter`, newest first, with the feed states. */
  async function page(
    ws: string,
    filter: Record<string, unknown>,
    first: number | null | undefined,
    after: string | null | undefined,
    keep: (m: MessageDoc, s: FeedStateDoc | undefined) => boolean = () => true,
  ) {
    const size = first ?? 20;
    if (size < 1 || size > MAX_PAGE) throw invalidFields([{ path: 'first', message: `1 to ${MAX_PAGE}` }]);
    let cursor = decodeCursor(after);
    const items: { message: MessageDoc; state: FeedStateDoc | undefined }[] = [];
    let exhausted = false;
    while (items.length < size + 1 && !exhausted) {
      const query: Record<string, unknown> = { workspaceId: ws, ...filter };
      if (cursor) query.$or = [{ at: { $lt: cursor.at } }, { at: cursor.at, _id: { $lt: cursor.id } }];
      const chunk = await models.Message.find(query)
        .sort({ at: -1, _id: -1 })
        .limit(size + 1)
        .lean<MessageDoc[]>()
        .exec();
      exhausted = chunk.length < size + 1;
      const states = new Map(
        (await Promise.all(chunk.map((m) => models.FeedState.findById(m._id).lean<FeedStateDoc>().exec())))
          .filter((s): s is FeedStateDoc => s !== null)
          .map((s) => [s._id, s]),
      );
      for (const m of chunk) if (keep(m, states.get(m._id))) items.push({ message: m, state: states.get(m._id) });
      if (chunk.length) cursor = { at: chunk[chunk.length - 1]!.at, id: chunk[chunk.length - 1]!._id };
    }
    const shown = items.slice(0, size);
    return { items: shown, next: items.length > size ? encodeCursor(shown[shown.length - 1]!.message) : null };
  }

  const inApp = (m: MessageDoc, s: FeedStateDoc | undefined) => ({
    id: m._id,
    contactId: m.contactId,
    ruleId: m.ruleId,
    subject: m.subject,
    body: m.body,
    at: m.at,
    readAt: s?.readAt ?? null,
    dismissedAt: s?.dismissedAt ?? null,
  });
  const task = (m: MessageDoc, s: FeedStateDoc | undefined) => ({
    id: m._id,
    ownerId: m.to!,
    contactId: m.contactId,
    ruleId: m.ruleId,
    subject: m.subject,
    body: m.body,
    at: m.at,
    completedAt: s?.completedAt ?? null,
  });

  async function feedItem(ws: string, id: string, action: 'IN_APP' | 'TASK_OWNER') {
    const m = await models.Message.findById(id).lean<MessageDoc>().exec();
    if (!m || m.workspaceId !== ws || m.action !== action || m.outcome !== 'DELIVERED')
      throw notFound('id', `no ${action === 'IN_APP' ? 'in-app message' : 'task'} ${id} in this workspace`);
    return m;
  }

  /** Sets one mark on a feed item, once (the first time stands). The mutations are its only writer. */
  async function mark(ws: string, m: MessageDoc, field: 'readAt' | 'dismissedAt' | 'completedAt') {
    const state = await models.FeedState.findById(m._id).lean<FeedStateDoc>().exec();
    if (!state?.[field]) {
      await models.FeedState.updateOne(
        { _id: m._id },
        { $set: { [field]: now(), workspaceId: ws } },
        { upsert: true },
      ).exec();
    }
    return (await models.FeedState.findById(m._id).lean<FeedStateDoc>().exec()) ?? undefined;
  }

  /** Every problem of the input, the endpoints of its WEBHOOK actions included (they must be the workspace's). */
  async function problemsOf(ws: string, input: RuleInput): Promise<FieldProblem[]> {
    const problems = validateRule(input);
    const webhooks = input.actions.flatMap((a, i) => (a.kind === 'WEBHOOK' && a.endpointId ? [{ a, i }] : []));
    if (webhooks.length) {
      const ids = await engine.endpointIds(ws);
      for (const { a, i } of webhooks)
        if (!ids.has(a.endpointId!))
          problems.push({
            path: `input.actions[${i}].endpointId`,
            message: `no webhook endpoint ${a.endpointId} in this workspace`,
          });
    }
    return problems;
  }

  /** A message as the audit shows it: its email's delivery (if any) decides DELIVERED or REJECTED. */
  const auditEntry = (m: MessageDoc, delivery: DeliveryDoc | null) => ({
    id: m._id,
    contactId: m.contactId,
    ruleId: m.ruleId,
    eventId: m.eventId,
    action: m.action,
    to: m.to,
    subject: m.subject,
    outcome: delivery ? (delivery.rejected ? ('REJECTED' as const) : ('DELIVERED' as const)) : m.outcome,
    detail: delivery?.rejected ? `refused by the SMTP server: ${delivery.response}` : m.detail,
    at: m.at,
    sentAt: delivery && !delivery.rejected ? delivery.at : null,
  });

  async function preview(ws: string, input: RuleInput, contactId: string) {
    if (!(await engine.knows(ws, contactId)))
      throw notFound(
        'contactId',
        `notification knows no contact ${contactId} in this workspace (it learns a contact from its ` +
          `interactions and phase changes, and its scores once the workspace has a notification rule)`,
      );
    const contact = await engine.contact(ws, contactId);
    const problems: FieldProblem[] = [];
    const actions = [];
    for (const [i, a] of input.actions.entries()) {
      const r = await renderTemplates(
        { [`actions[${i}].subject`]: a.subject, [`actions[${i}].body`]: a.body },
        contact,
      );
      if (!r.ok) problems.push(...r.problems);
      actions.push({
        kind: a.kind,
        to: (await engine.recipientOf(a, contact, ws)).to,
        subject: r.ok ? r.values[`actions[${i}].subject`]! : null,
        body: r.ok ? r.values[`actions[${i}].body`]! : null,
      });
    }
    return { ok: problems.length === 0, actions, problems };
  }

  return {
    rules: (ws: string) =>
      models.NotificationRule.find({ workspaceId: ws }).sort({ createdAt: 1, _id: 1 }).lean<RuleDoc[]>().exec(),
    async rule(ws: string, id: string) {
      const rule = await models.NotificationRule.findById(id).lean<RuleDoc>().exec();
      return rule && rule.workspaceId === ws ? rule : null;
    },
    async createRule(ws: string, input: RuleInput) {
      const problems = await problemsOf(ws, input);
      if (problems.length) throw invalidFields(problems);
      const at = now();
      const rule = toRule(ws, `rule_${randomUUID()}`, input, at, at);
      await models.NotificationRule.collection.insertOne(rule as never);
      await engine.rulesChanged(ws);
      return rule;
    },
    async updateRule(ws: string, id: string, input: RuleInput) {
      const existing = await ruleOf(ws, id);
      const problems = await problemsOf(ws, input);
      if (problems.length) throw invalidFields(problems);
      const rule = toRule(ws, id, input, existing.createdAt, now());
      await models.NotificationRule.collection.replaceOne({ _id: id, workspaceId: ws } as never, rule as never);
      await engine.rulesChanged(ws);
      return rule;
    },
    async deleteRule(ws: string, id: string) {
      await ruleOf(ws, id);
      await models.NotificationRule.deleteOne({ _id: id, workspaceId: ws }).exec();
      await engine.rulesChanged(ws);
      return true;
    },
    async preview(
      ws: string,
      ruleId: string | null | undefined,
      input: RuleInput | null | undefined,
      contactId: string,
    ) {
      if ((ruleId == null) === (input == null))
        throw invalidFields([{ path: 'ruleId', message: 'give either ruleId or input' }]);
      if (input) {
        const problems = validateRule(input).filter(
          (p) => !p.path.includes('.actions[') || !p.message.startsWith('template'),
        );
        if (problems.length) throw invalidFields(problems);
        return preview(ws, input, contactId);
      }
      return preview(ws, await ruleOf(ws, ruleId!, 'ruleId'), contactId);
    },
    async settings(ws: string) {
      const q = (await models.MessageSettings.findById(ws).lean().exec())?.quietHours ?? null;
      return { quietHours: q ? { start: hhmm(q.startMinute), end: hhmm(q.endMinute), timeZone: q.timeZone } : null };
    },
    async setQuietHours(ws: string, input: { start: string; end: string; timeZone: string } | null | undefined) {
      let quietHours: QuietHours | null = null;
      if (input) {
        const start = parseHhmm(input.start);
        const end = parseHhmm(input.end);
        const problems: FieldProblem[] = [];
        if (start === null) problems.push({ path: 'input.start', message: 'HH:MM, 00:00 to 23:59' });
        if (end === null) problems.push({ path: 'input.end', message: 'HH:MM, 00:00 to 23:59' });
        if (!isTimeZone(input.timeZone)) problems.push({ path: 'input.timeZone', message: 'not an IANA time zone' });
        if (problems.length) throw invalidFields(problems);
        quietHours = { startMinute: start!, endMinute: end!, timeZone: input.timeZone };
      }
      await models.MessageSettings.collection.replaceOne({ _id: ws } as never, { _id: ws, quietHours } as never, {
        upsert: true,
      });
      return this.settings(ws);
    },
    async contactMessages(
      ws: string,
      contactId: string,
      first?: number | null,
      after?: string | null,
      dismissed?: boolean | null,
    ) {
      const p = await page(ws, { contactId, action: 'IN_APP', outcome: 'DELIVERED' }, first, after, (_m, s) =>
        dismissed ? true : !s?.dismissedAt,
      );
      return { items: p.items.map(({ message, state }) => inApp(message, state)), next: p.next };
    },
    async ownerTasks(
      ws: string,
      ownerId: string,
      first?: number | null,
      after?: string | null,
      completed?: boolean | null,
    ) {
      const p = await page(ws, { to: ownerId, action: 'TASK_OWNER', outcome: 'DELIVERED' }, first, after, (_m, s) =>
        completed ? true : !s?.completedAt,
      );
      return { items: p.items.map(({ message, state }) => task(message, state)), next: p.next };
    },
    async audit(
      ws: string,
      contactId?: string | null,
      ruleId?: string | null,
      first?: number | null,
      after?: string | null,
    ) {
      const filter: Record<string, unknown> = {};
      if (contactId) filter.contactId = contactId;
      if (ruleId) filter.ruleId = ruleId;
      const p = await page(ws, filter, first ?? 50, after);
      const deliveries = await Promise.all(
        p.items.map(({ message }) => models.MessageDelivery.findById(message._id).lean().exec()),
      );
      return { items: p.items.map(({ message }, i) => auditEntry(message, deliveries[i] ?? null)), next: p.next };
    },
    /** One message of the workspace (the payload of notificationCreated), null when not the workspace's. */
    async message(ws: string, id: string) {
      const m = await models.Message.findById(id).lean<MessageDoc>().exec();
      if (!m || m.workspaceId !== ws) return null;
      return auditEntry(m, await models.MessageDelivery.findById(m._id).lean<DeliveryDoc>().exec());
    },
    async markRead(ws: string, id: string) {
      const m = await feedItem(ws, id, 'IN_APP');
      return inApp(m, await mark(ws, m, 'readAt'));
    },
    async dismiss(ws: string, id: string) {
      const m = await feedItem(ws, id, 'IN_APP');
      return inApp(m, await mark(ws, m, 'dismissedAt'));
    },
    async completeTask(ws: string, id: string) {
      const m = await feedItem(ws, id, 'TASK_OWNER');
      return task(m, await mark(ws, m, 'completedAt'));
    },
  };
}
export type MessageService = ReturnType<typeof createMessageService>;
/** A MessageAuditEntry as the resolvers receive it (its contact is resolved from contactId). */
export type AuditEntry = NonNullable<Awaited<ReturnType<MessageService['message']>>>;
