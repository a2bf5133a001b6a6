// The message hop: an event of a contact → the contact's projection of that stream updated →
// the workspace's enabled rules whose trigger this event fires and whose conditions the
// contact meets → one message per action, decided (caps, quiet hours, recipient), stored
// insert-only under a deterministic id (rule + event + action), then sent. Exactly once under
// redelivery: a stored message is never decided again; an email is sent until its delivery
// is recorded (at-least-once over SMTP, with the same Message-ID each time). A message that goes
// out (not skipped) is then published as a notification (notifications stream, message id from
// the message) and a WEBHOOK action's delivery is published to the WEBHOOKS stream: both after
// the message is stored, again on a redelivery (the stream's duplicate window drops the copy).
import { createHash } from 'node:crypto';
import type { Logger } from '@cei/config';
import {
  contactKey,
  identifiesContact,
  messageIds,
  type InteractionRecorded,
  type NotificationCreated,
  type ScoreChanged,
  type Topology,
} from '@cei/contracts';
import { isDuplicateKey, loadByIds, writeAtPosition, type Database } from '@cei/mongo';
import {
  firstDeliveries,
  groupByContact,
  NOT_ABANDONED,
  OwnedState,
  publishInOrder,
  workspaceConfig,
  writeAll,
  type BatchContext,
  type Delivery,
  type Nats,
  type VersionedConfig,
} from '@cei/nats';
import { deliveryTo } from '../webhooks/fanout';
import type { WebhookEndpointDoc } from '../webhooks/models';
import type { LifecycleEvent } from './events';
import { isPermanentSmtpFailure, type Mailer } from './mailer';
import type { OwnerDirectory } from './owners';
import {
  isEmail,
  type Action,
  type Condition,
  type MessageDoc,
  type MessageModels,
  type ProjectionDoc,
  type RuleDoc,
  type Outcome,
  type QuietHours,
} from './models';
import { renderTemplates, type ContactView } from './templates';
import { inQuietHours } from './quiet-hours';

export interface MessageEngineOptions {
  db: Database;
  models: MessageModels;
  log: Logger;
  /** null: no SMTP server configured (emails are audited as SKIPPED_NO_SMTP). */
  mailer: Mailer | null;
  /** The clock caps and quiet hours are decided by (a test seam). */
  now?: () => Date;
  /** Where rule changes are announced: the consumers then cache each workspace's rules by version. */
  changes?: { nats: Nats; topology: Topology };
  /** How many contacts' projections each consumer keeps in memory (CEI_STATE_CACHE_CONTACTS). */
  stateCacheContacts?: number;
  /** Where notifications and WEBHOOK actions' deliveries are published. */
  outbox: { js: Nats['js']; topology: Topology };
  /** Owners' names and emails (EMAIL_OWNER, templates). */
  owners: OwnerDirectory;
  /** The workspace's webhook endpoints (WEBHOOK actions). */
  endpoints: VersionedConfig<WebhookEndpointDoc[]>;
}

/** Outcomes of a message that goes out: what Subscription.notificationCreated announces. */
export const GOES_OUT: readonly Outcome[] = ['PENDING', 'DELIVERED', 'QUEUED'];

type Stream = 'phases' | 'scores' | 'interactions';

const emptyProjection = (ws: string, contactId: string): ProjectionDoc => ({
  _id: contactKey(ws, contactId),
  workspaceId: ws,
  contactId,
  lastSeq: 0,
  sentByRule: {},
});

/** The deterministic id of the message a rule's action makes of an event. */
export function messageId(ruleId: string, eventId: string, actionIndex: number): string {
  const digest = createHash('sha256').update(`${ruleId}\n${eventId}\n${actionIndex}`).digest('base64url');
  return `msg_${digest.slice(0, 32)}`;
}

/** The contact as the three projections tell it (each possibly behind the others). */
export function contactView(contactId: string, docs: (ProjectionDoc | null | undefined)[]): ContactView {
  const merged: Partial<ProjectionDoc> = {};
  for (const doc of docs) if (doc) Object.assign(merged, stripMeta(doc));
  const tags = Object.entries(merged.tags ?? {})
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 5)
    .map(([name, score]) => ({ name, score }));
  return {
    id: contactId,
    name: merged.name ?? null,
    email: merged.email ?? null,
    phase: merged.phase ?? null,
    qualification: merged.qualification ?? null,
    score: merged.score ?? null,
    topTags: tags,
    owner: merged.ownerId ? { id: merged.ownerId } : null,
    likelihoods: merged.likelihoods ?? null,
  };
}

function stripMeta(doc: ProjectionDoc): Partial<ProjectionDoc> {
  const { _id, workspaceId, contactId, lastSeq, sentByRule, ...rest } = doc;
  void [_id, workspaceId, contactId, lastSeq, sentByRule];
  return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
}

export function meetsConditions(contact: ContactView, conditions: Condition[]): boolean {
  return conditions.every((c) => meets(contact, c));
}

function meets(contact: ContactView, { field, op, tag, value }: Condition): boolean {
  const actual: string | number | null = (() => {
    switch (field) {
      case 'PHASE':
        return contact.phase;
      case 'QUALIFICATION':
        return contact.qualification;
      case 'SCORE':
        return contact.score;
      case 'EMAIL':
        return contact.email;
      case 'OWNER':
        return contact.owner?.id ?? null;
      case 'CHURN_LIKELIHOOD':
        return contact.likelihoods?.churn ?? null;
      case 'PURCHASE_LIKELIHOOD':
        return contact.likelihoods?.purchase ?? null;
      case 'TAG':
        return contact.topTags.find((t) => t.name === tag)?.score ?? null;
    }
  })();
  if (op === 'SET') return actual !== null;
  if (op === 'UNSET') return actual === null;
  if (actual === null) return false;
  if (op === 'EQ') return String(actual) === value;
  if (op === 'NEQ') return String(actual) !== value;
  const a = Number(actual);
  const b = Number(value);
  if (op === 'GT') return a > b;
  if (op === 'GTE') return a >= b;
  if (op === 'LT') return a < b;
  return a <= b;
}

/** Whether this event fires the rule's trigger (a crossing: below before, at or above after). */
function fires(rule: RuleDoc, stream: Stream, before: ProjectionDoc, after: ProjectionDoc, event: unknown): boolean {
  const t = rule.trigger;
  if (stream === 'phases') {
    const e = event as LifecycleEvent;
    if (t.kind === 'PHASE_ENTERED') return e.kind === 'PHASE' && e.phase.to === t.phase;
    if (t.kind === 'QUALIFICATION_BECAME') return e.kind === 'QUALIFICATION' && e.qualification.to === t.qualification;
    return false;
  }
  if (stream === 'scores') {
    const n = t.threshold ?? 0;
    const crossed = (b: number | null | undefined, a: number | null | undefined) =>
      (b ?? -Infinity) < n && (a ?? -Infinity) >= n;
    // The score before the change is in the event itself, whether or not it was projected.
    const e = event as ScoreChanged;
    if (t.kind === 'SCORE_CROSSES') return crossed(e.general - e.delta, e.general);
    if (t.kind === 'CHURN_ABOVE') return crossed(before.likelihoods?.churn, after.likelihoods?.churn);
    if (t.kind === 'TAG_SCORE_ABOVE') return crossed(before.tags?.[t.tag ?? ''], after.tags?.[t.tag ?? '']);
  }
  return false;
}

/** Whether two address projections name the same email and name. */
const sameAddress = (a: ProjectionDoc, b: ProjectionDoc) =>
  (a.email ?? null) === (b.email ?? null) && (a.name ?? null) === (b.name ?? null);

export function createMessageEngine({
  db,
  models,
  log,
  mailer,
  now = () => new Date(),
  changes,
  stateCacheContacts = 20_000,
  outbox,
  owners,
  endpoints,
}: MessageEngineOptions) {
  const projections = {
    phases: models.PhaseProjection,
    scores: models.ScoreProjection,
    interactions: models.AddressProjection,
  };

  async function rulesOf(ws: string): Promise<RuleDoc[]> {
    // Disabled rules too: a workspace with any rule keeps its contacts' projections (see handler).
    return models.NotificationRule.find({ workspaceId: ws }).lean<RuleDoc[]>().exec();
  }
  // Each batch applies the rules as they stand (announced by rulesChanged after every change).
  const rules = workspaceConfig<RuleDoc[]>({
    changes: changes && { ...changes, log },
    kind: 'notification-rules',
    load: rulesOf,
  });
  const rulesFor = (workspaceIds: string[]) => rules.forWorkspaces(workspaceIds);

  async function quietHoursOf(ws: string): Promise<QuietHours | null> {
    return (await models.MessageSettings.findById(ws).lean().exec())?.quietHours ?? null;
  }

  /** Stores the message unless it is stored; returns what is stored (the first decision stands). */
  async function store(message: MessageDoc): Promise<MessageDoc> {
    try {
      await models.Message.collection.insertOne(message as never);
      return message;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return (await models.Message.findById(message._id).lean<MessageDoc>().exec())!;
    }
  }

  /** Sends a stored email unless its delivery is recorded; records the delivery (insert-only). */
  async function deliver(message: MessageDoc): Promise<void> {
    if (message.outcome !== 'PENDING' || !isEmail(message.action) || !message.to || !mailer) return;
    if (await models.MessageDelivery.exists({ _id: message._id })) return;
    let response: string;
    let rejected = false;
    try {
      response = await mailer.send({ id: message._id, to: message.to, subject: message.subject, text: message.body });
    } catch (err) {
      // A permanent refusal (5xx) is recorded and not retried; anything else fails the batch,
      // which is retried (an unreachable server waits: see isSmtpUnavailable).
      if (!isPermanentSmtpFailure(err)) throw err;
      response = String((err as { response?: unknown }).response ?? (err as Error).message);
      rejected = true;
    }
    try {
      await models.MessageDelivery.collection.insertOne({
        _id: message._id,
        workspaceId: message.workspaceId,
        at: now(),
        response,
        rejected,
      } as never);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const fields = { workspaceId: message.workspaceId, messageId: message._id, ruleId: message.ruleId };
    if (rejected) log.warn({ ...fields, response }, 'email refused by the SMTP server');
    else log.info(fields, 'email sent');
  }

  /** Publishes a stored message that goes out: its webhook delivery (WEBHOOK) and its notification. */
  async function announce(message: MessageDoc, action: Action, contact: ContactView): Promise<void> {
    if (!GOES_OUT.includes(message.outcome)) return;
    const { js, topology } = outbox;
    const events: { subject: string; payload: unknown; msgId: string }[] = [];
    if (action.kind === 'WEBHOOK' && message.outcome === 'QUEUED' && message.to) {
      events.push(
        deliveryTo(topology, message.to, 'RULE_MESSAGE', {
          workspaceId: message.workspaceId,
          contactId: message.contactId,
          eventId: message._id,
          at: new Date(message.at).toISOString(),
          data: {
            workspaceId: message.workspaceId,
            contactId: message.contactId,
            messageId: message._id,
            ruleId: message.ruleId,
            eventId: message.eventId,
            subject: message.subject,
            body: message.body,
            contact,
          },
        }),
      );
    }
    const notification: NotificationCreated = {
      v: 1,
      workspaceId: message.workspaceId,
      contactId: message.contactId,
      notificationId: message._id,
      ruleId: message.ruleId,
      action: message.action,
      to: message.to,
      subject: message.subject,
      eventId: message.eventId,
      at: new Date(message.at).toISOString(),
    };
    events.push({
      subject: topology.subjects.notificationCreated(message.workspaceId, message.contactId),
      payload: notification,
      msgId: messageIds.notificationCreated(message.workspaceId, message._id),
    });
    await publishInOrder(js, events);
  }

  /** Who the action's message goes to, or why nobody (then it is skipped). */
  async function recipientOf(
    action: Action,
    contact: ContactView,
    ws: string,
  ): Promise<{ to: string | null; missing: string | null }> {
    switch (action.kind) {
      case 'IN_APP':
        return { to: null, missing: null };
      case 'EMAIL_CONTACT':
        return contact.email
          ? { to: contact.email, missing: null }
          : { to: null, missing: 'the contact has no known email' };
      case 'TASK_OWNER':
        return contact.owner
          ? { to: contact.owner.id, missing: null }
          : { to: null, missing: 'the contact has no owner' };
      case 'EMAIL_OWNER':
        if (!contact.owner) return { to: null, missing: 'the contact has no owner' };
        return contact.owner.email
          ? { to: contact.owner.email, missing: null }
          : { to: null, missing: `owner ${contact.owner.id} has no known email` };
      case 'WEBHOOK': {
        const endpoint = (await endpoints.forWorkspaces([ws]))(ws).find((e) => e.id === action.endpointId);
        if (!endpoint) return { to: null, missing: `no webhook endpoint ${action.endpointId} in this workspace` };
        if (!endpoint.enabled) return { to: null, missing: `webhook endpoint ${endpoint.id} is disabled` };
        return { to: endpoint.id, missing: null };
      }
    }
  }

  /** The contact's owner with the name and email of its record (for EMAIL_OWNER and templates). */
  async function withOwner(ws: string, contact: ContactView): Promise<ContactView> {
    if (!contact.owner) return contact;
    const record = await owners.get(ws, contact.owner.id);
    return { ...contact, owner: { id: contact.owner.id, name: record?.name ?? null, email: record?.email ?? null } };
  }

  async function decide(
    rule: RuleDoc,
    action: Action,
    index: number,
    eventId: string,
    contact: ContactView,
    ws: string,
    at: Date,
    capped: boolean,
    quiet: boolean,
  ): Promise<MessageDoc> {
    const rendered = await renderTemplates({ subject: action.subject, body: action.body }, contact);
    const { to, missing } = await recipientOf(action, contact, ws);
    let outcome: Outcome = isEmail(action.kind) ? 'PENDING' : action.kind === 'WEBHOOK' ? 'QUEUED' : 'DELIVERED';
    let detail: string | null = action.kind === 'WEBHOOK' ? `queued for webhook endpoint ${to}` : null;
    if (capped) {
      outcome = 'SKIPPED_CAP';
      detail = `at most one message of this rule per ${rule.capHours} h`;
    } else if (!rendered.ok) {
      outcome = 'FAILED_TEMPLATE';
      detail = rendered.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    } else if (missing) {
      outcome = 'SKIPPED_NO_RECIPIENT';
      detail = missing;
    } else if (isEmail(action.kind) && !mailer) {
      outcome = 'SKIPPED_NO_SMTP';
      detail = 'no SMTP server configured (SMTP_URL)';
    } else if (quiet && isEmail(action.kind)) {
      outcome = 'SKIPPED_QUIET_HOURS';
      detail = 'due in the workspace quiet hours';
    }
    return {
      _id: messageId(rule._id, eventId, index),
      workspaceId: ws,
      contactId: contact.id,
      ruleId: rule._id,
      eventId,
      action: action.kind,
      to,
      ownerId: contact.owner?.id ?? null,
      subject: rendered.ok ? rendered.values.subject! : '',
      body: rendered.ok ? rendered.values.body! : '',
      outcome,
      detail,
      at,
    };
  }

  function handler<T extends { workspaceId: string; contactId: string }>(
    stream: Stream,
    apply: (doc: ProjectionDoc, event: T) => ProjectionDoc,
    eventIdOf: (event: T, seq: number) => string,
    /** What the event itself says of the contact, over the projections (which may lag). */
    overlay: (event: T) => Partial<ContactView> = () => ({}),
    /**
     * Whether the event can change the projection at all: a contact none of whose events of the
     * batch can is not read (nor written). Only for a stream no trigger reads (interactions).
     */
    changes: (event: T) => boolean = () => true,
    /** Whether the event is its contact's first on this stream (a hint, see firstDeliveries). */
    first: (event: T) => boolean = () => false,
  ) {
    const model = projections[stream];
    const others = (Object.keys(projections) as Stream[]).filter((s) => s !== stream).map((s) => projections[s]);
    // The owner of a partition keeps its contacts' projections (see OwnedState in @cei/nats).
    const owned = new OwnedState<ProjectionDoc>({
      max: stateCacheContacts,
      load: (keys) => loadByIds(db, model, keys),
    });
    return async function handleMessages(batch: Delivery<T>[], _p: number, context: BatchContext = NOT_ABANDONED) {
      const { signal } = context;
      // Interactions only feed the address projection (no trigger reads them, it is kept for every
      // workspace): no rules to load.
      const rulesOfWorkspace =
        stream === 'interactions' ? () => [] : await rulesFor(batch.map((d) => d.event.workspaceId));
      // Scores are projected only for workspaces with a rule (enabled or not): every score change of
      // a workspace without one would cost a write for nothing. A workspace's first rule starts them;
      // each contact's score, tags and likelihoods fill in from its next score change. (Addresses are
      // written only when they change, phases rarely: kept for every workspace, for previews.)
      const projected = (ws: string) => stream !== 'scores' || rulesOfWorkspace(ws).length > 0;
      const byContact = new Map(
        [...groupByContact(batch)].filter(
          ([, deliveries]) =>
            projected(deliveries[0]!.event.workspaceId) && deliveries.some(({ event }) => changes(event)),
        ),
      );
      // A contact's first event has no projection to read, on its producer's word. Taken only where
      // no rule can fire: a rule decides from the projection before it is written (and fenced).
      const unwritten = firstDeliveries(
        byContact,
        (event) => first(event) && rulesOfWorkspace(event.workspaceId).length === 0,
      );
      const stored = await owned.read(byContact.keys(), context, unwritten);
      const quiet = new Map<string, Promise<QuietHours | null>>();
      // Each contact's events in stream order, its projection written once (with its last position).
      await writeAll(
        byContact,
        async ([key, deliveries]) => {
          const { workspaceId: ws, contactId } = deliveries[0]!.event;
          const original = stored.get(key);
          let doc = original ?? emptyProjection(ws, contactId);
          const storedSeq = doc.lastSeq;
          for (const { event, seq } of deliveries) {
            if (seq <= storedSeq) continue;
            const before = doc;
            const after: ProjectionDoc = {
              ...apply(before, event),
              lastSeq: seq,
              sentByRule: { ...before.sentByRule },
            };
            const firing = rulesOfWorkspace(ws).filter((r) => r.enabled && fires(r, stream, before, after, event));
            if (firing.length) {
              // A rule fires: its reads, audit records and sends take turns of the database as one.
              await db.limit(async () => {
                const rest = await Promise.all(others.map((m) => m.findById(key).lean<ProjectionDoc>().exec()));
                const contact = await withOwner(ws, { ...contactView(contactId, [...rest, after]), ...overlay(event) });
                if (!quiet.has(ws)) quiet.set(ws, quietHoursOf(ws));
                const at = now();
                const isQuiet = inQuietHours(await quiet.get(ws)!, at);
                for (const rule of firing) {
                  if (!meetsConditions(contact, rule.conditions)) continue;
                  const last = before.sentByRule[rule._id];
                  const capped =
                    rule.capHours != null &&
                    last != null &&
                    at.getTime() - new Date(last).getTime() < rule.capHours * 3600_000;
                  const eventId = eventIdOf(event, seq);
                  let sent = false;
                  for (const [i, action] of rule.actions.entries()) {
                    signal.throwIfAborted();
                    const message = await store(
                      await decide(rule, action, i, eventId, contact, ws, at, capped, isQuiet),
                    );
                    await deliver(message);
                    await announce(message, action, contact);
                    if (GOES_OUT.includes(message.outcome)) sent = true;
                  }
                  if (sent) after.sentByRule[rule._id] = at;
                }
              }, signal);
            }
            doc = after;
          }
          if (doc.lastSeq === storedSeq) return; // all redelivered: applied already
          // An address is written when it changes, not per interaction: applying an interaction again
          // after a crash (its position not recorded) sets what the later ones set again, in order.
          if (stream === 'interactions' && sameAddress(original ?? emptyProjection(ws, contactId), doc)) {
            // Unchanged as stored: remembered, so the next batch does not read it again.
            if (original) owned.written(key, original, context);
            return;
          }
          // A fresh contact's creation shares an insert with the batch's others (writeAtPosition).
          await writeAtPosition(db, model, doc, storedSeq, signal);
          owned.written(key, doc, context);
        },
        { signal },
      );
    };
  }

  return {
    /** After every change of a workspace's rules is written: every consumer's next batch reads them again. */
    async rulesChanged(ws: string): Promise<void> {
      await rules.changed(ws);
    },
    phases: handler<LifecycleEvent>(
      'phases',
      (doc, e) =>
        e.kind === 'PHASE'
          ? { ...doc, phase: e.phase.to }
          : e.kind === 'QUALIFICATION'
            ? { ...doc, qualification: e.qualification.to }
            : { ...doc, ownerId: e.owner.ownerId },
      (e) =>
        e.kind === 'PHASE'
          ? `phase:${e.phase.transitionId}`
          : e.kind === 'QUALIFICATION'
            ? `qualification:${e.qualification.stepId}`
            : `owner:${e.owner.assignmentId}`,
      // The score the transition was decided at: the scores consumer may not have applied it yet.
      (e) => (e.kind === 'PHASE' && e.phase.score !== undefined ? { score: e.phase.score } : {}),
      undefined,
      (e) => e.kind === 'PHASE' && e.phase.first === true,
    ),
    scores: handler<ScoreChanged>(
      'scores',
      (doc, e) => ({
        ...doc,
        score: e.general,
        tags: e.tags ?? doc.tags ?? null,
        likelihoods: e.likelihoods ?? doc.likelihoods ?? null,
      }),
      (_e, seq) => `scores:${seq}`,
    ),
    interactions: handler<InteractionRecorded>(
      'interactions',
      (doc, e) => {
        const name = e.properties['name'];
        return {
          ...doc,
          email: e.email ?? doc.email ?? null,
          name: typeof name === 'string' ? name : (doc.name ?? null),
        };
      },
      (e) => `interaction:${e.interactionId}`,
      undefined,
      // Only those that name their contact are sent here (identifiesContact); one that arrives all
      // the same (an older ingestion published it as `recorded`) does not even read its contact.
      identifiesContact,
      // Nor is a contact whose interaction is its first (InteractionRecorded.first).
      (e) => e.first === true,
    ),
    /** The contact as notification knows it now (for previews). */
    async contact(ws: string, contactId: string): Promise<ContactView> {
      const key = contactKey(ws, contactId);
      const docs = await Promise.all(
        Object.values(projections).map((m) => m.findById(key).lean<ProjectionDoc>().exec()),
      );
      return withOwner(ws, contactView(contactId, docs));
    },
    recipientOf,
    /** The workspace's webhook endpoint ids (a WEBHOOK action must name one). */
    async endpointIds(ws: string): Promise<Set<string>> {
      return new Set((await endpoints.forWorkspaces([ws]))(ws).map((e) => e.id));
    },
    /** Whether notification knows anything of the contact in this workspace. */
    async knows(ws: string, contactId: string): Promise<boolean> {
      const key = contactKey(ws, contactId);
      const docs = await Promise.all(Object.values(projections).map((m) => m.exists({ _id: key })));
      return docs.some(Boolean);
    },
  };
}
export type MessageEngine = ReturnType<typeof createMessageEngine>;
