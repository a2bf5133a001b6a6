// mergeContacts(from, into): `from` becomes an alias of `into`. The alias is inserted under
// `<workspace>:<from>` (the unique _id lets one merge of an id win), then a CONTACT_MERGED
// interaction is recorded on `into` (id `merged:<from>`, so a retry records nothing twice). Its
// owners apply it in order with `into`'s interactions: the contact projector folds `from`'s
// identity and traits in, scoring rebuilds `into` from the records of both (handlers there).
// From the alias on, interactions sent with `from` are accepted as `into`'s (contact-aliases.ts).
import { contactKey, ERRORS, invalidFields, type CallerContext } from '@cei/contracts';
import { appendNew } from '@cei/mongo';
import { requireRole } from '@cei/subgraph';
import type { ContactAliasDoc } from '../models';
import { recordInteractions, type RecordingDeps } from '../recording/record-interactions';

export async function mergeContacts(
  recording: RecordingDeps,
  caller: CallerContext,
  fromInput: string,
  intoInput: string,
): Promise<ContactAliasDoc> {
  requireRole(caller, 'write');
  const { workspaceId } = caller;
  const { models, aliases } = recording;
  const from = fromInput.trim();
  const into = intoInput.trim();
  if (!from) throw invalidFields([{ path: 'from', message: 'required: the contact id to merge away' }]);
  if (!into) throw invalidFields([{ path: 'into', message: 'required: the surviving contact id' }]);
  if (from === into) throw invalidFields([{ path: 'into', message: 'a contact cannot be merged into itself' }]);
  const survivors = await aliases.survivorsOf(workspaceId, [from, into]);
  const intoNow = survivors.get(into);
  if (intoNow !== undefined) {
    throw invalidFields([{ path: 'into', message: `${into} was merged into ${intoNow}: merge into ${intoNow}` }]);
  }
  const fromNow = survivors.get(from);
  if (fromNow !== undefined && fromNow !== into) {
    throw ERRORS.CONFLICT.err(`from: ${from} was merged into ${fromNow} already; a contact id is merged once`);
  }
  if (fromNow === undefined) {
    const exists = await models.Contact.exists({ _id: contactKey(workspaceId, from) }).exec();
    if (!exists) throw invalidFields([{ path: 'from', message: `no contact ${from} in this workspace` }]);
  }
  const now = recording.now?.() ?? new Date();
  const alias: ContactAliasDoc = { _id: contactKey(workspaceId, from), workspaceId, from, into, mergedAt: now };
  await appendNew(models.MergeMarker, [{ _id: workspaceId, createdAt: now }]);
  if ((await appendNew(models.ContactAlias, [alias])).size > 0) {
    // Merged meanwhile (or by an earlier try of this call): the stored alias decides.
    const stored = await models.ContactAlias.findById(alias._id).lean<ContactAliasDoc>().exec();
    if (stored!.into !== into) {
      throw ERRORS.CONFLICT.err(`from: ${from} was merged into ${stored!.into} already; a contact id is merged once`);
    }
    Object.assign(alias, stored);
  }
  aliases.merged(workspaceId, from, into);
  const [receipt] = await recordInteractions(
    recording,
    workspaceId,
    [
      {
        id: `merged:${from}`,
        kind: 'CONTACT_MERGED',
        contactId: into,
        occurredAt: now.toISOString(),
        properties: { from },
      },
    ],
    { byCei: true },
  );
  if (receipt!.status === 'REJECTED') throw new Error(`the merge of ${from} was refused: ${receipt!.reason}`);
  return alias;
}
