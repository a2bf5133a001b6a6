// Public ids of phase transitions: `<contact id>~<n>` (n counts the contact's
// transitions), so a transition is found through its contact's document by _id.

export function transitionId(contactId: string, n: number): string {
  return `${contactId}~${n}`;
}

export function parseTransitionId(id: string): { contactId: string; n: number } | null {
  const at = id.lastIndexOf('~');
  const n = Number(id.slice(at + 1));
  if (at <= 0 || !Number.isInteger(n) || n < 1) return null;
  return { contactId: id.slice(0, at), n };
}
