// A contact's traits: what an IDENTIFY says about who the contact is (name, job, account, …),
// checked field by field, and folded into the contact last-write-wins by the trait's time.
// Pure: no I/O. The contact projector applies them; identifyContact and /collect validate them.
import { BUYING_ROLES, SENIORITIES, type BuyingRole, type Seniority } from '@cei/contracts';
import type { FieldProblem } from '@cei/contracts';

/** The traits a contact can have; null clears one. `custom` holds the workspace's own traits. */
export interface TraitValues {
  name?: string | null;
  jobTitle?: string | null;
  seniority?: Seniority | null;
  department?: string | null;
  buyingRole?: BuyingRole | null;
  /** ISO 3166-1 alpha-2 code, upper case. */
  country?: string | null;
  socialFollowers?: number | null;
  /** The account (company) the contact belongs to. */
  accountId?: string | null;
}

/** What an IDENTIFY carries (its properties): traits, the account to create, custom traits. */
export interface IdentifyPayload extends TraitValues {
  accountDomain?: string | null;
  accountName?: string | null;
  custom?: Record<string, CustomValue | null> | null;
}

export type CustomValue = string | number | boolean;

export const STANDARD_TRAITS = [
  'name',
  'jobTitle',
  'seniority',
  'department',
  'buyingRole',
  'country',
  'socialFollowers',
  'accountId',
] as const;
export type StandardTrait = (typeof STANDARD_TRAITS)[number];

export const TRAIT_LIMITS = { text: 200, customKeys: 50, customKeyLength: 64, idLength: 200 };

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const CUSTOM_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const COUNTRY = /^[A-Z]{2}$/;

export type CheckedIdentify = { ok: true; payload: IdentifyPayload } | { ok: false; problems: FieldProblem[] };

/**
 * Checks an IDENTIFY's properties. Every wrong field is reported, at `<at>.<field>`. An account
 * domain without an account id names the account by its domain (lower case).
 */
export function checkIdentify(properties: Record<string, unknown>, at = 'properties'): CheckedIdentify {
  const problems: FieldProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ path: `${at}.${field}`, message });
  const payload: IdentifyPayload = {};
  const known = new Set<string>([...STANDARD_TRAITS, 'accountDomain', 'accountName', 'custom']);
  for (const key of Object.keys(properties)) {
    if (!known.has(key)) bad(key, `not a trait; expected one of ${[...known].join(', ')} (put your own in custom)`);
  }
  const text = (field: 'name' | 'jobTitle' | 'department' | 'accountName', max = TRAIT_LIMITS.text) => {
    const value = properties[field];
    if (value === undefined) return;
    if (value === null) return void (payload[field] = null);
    if (typeof value !== 'string' || value.trim() === '') return bad(field, 'a non-empty string, or null to clear it');
    if (value.length > max) return bad(field, `at most ${max} characters`);
    payload[field] = value.trim();
  };
  text('name');
  text('jobTitle');
  text('department');
  text('accountName');
  const oneOf = <T extends string>(field: 'seniority' | 'buyingRole', allowed: readonly T[]) => {
    const value = properties[field];
    if (value === undefined) return;
    if (value === null) return void (payload[field] = null);
    if (typeof value !== 'string' || !allowed.includes(value as T)) {
      return bad(field, `'${String(value).slice(0, 40)}' is not one of ${allowed.join(', ')}`);
    }
    (payload as Record<string, unknown>)[field] = value;
  };
  oneOf('seniority', SENIORITIES);
  oneOf('buyingRole', BUYING_ROLES);
  const country = properties.country;
  if (country === null) payload.country = null;
  else if (country !== undefined) {
    if (typeof country !== 'string' || !COUNTRY.test(country.toUpperCase())) {
      bad('country', `'${String(country).slice(0, 40)}' is not an ISO 3166-1 alpha-2 country code (e.g. DE, ID, US)`);
    } else payload.country = country.toUpperCase();
  }
  const followers = properties.socialFollowers;
  if (followers === null) payload.socialFollowers = null;
  else if (followers !== undefined) {
    if (typeof followers !== 'number' || !Number.isSafeInteger(followers) || followers < 0) {
      bad('socialFollowers', 'a whole number of followers, 0 or more');
    } else payload.socialFollowers = followers;
  }
  const accountId = properties.accountId;
  if (accountId === null) payload.accountId = null;
  else if (accountId !== undefined) {
    if (typeof accountId !== 'string' || accountId.trim() === '' || accountId.length > TRAIT_LIMITS.idLength) {
      bad('accountId', `the account's id: a non-empty string of at most ${TRAIT_LIMITS.idLength} characters`);
    } else payload.accountId = accountId.trim();
  }
  const domain = properties.accountDomain;
  if (domain === null) payload.accountDomain = null;
  else if (domain !== undefined) {
    const normal = typeof domain === 'string' ? normalDomain(domain) : null;
    if (!normal) bad('accountDomain', `'${String(domain).slice(0, 60)}' is not a domain name (e.g. example.com)`);
    else {
      payload.accountDomain = normal;
      if (payload.accountId === undefined && accountId === undefined) payload.accountId = normal;
    }
  }
  if (payload.accountName && payload.accountId == null) {
    bad('accountName', 'names an account: give accountId or accountDomain with it');
  }
  checkCustom(properties.custom, payload, (field, message) => bad(field, message));
  if (problems.length === 0 && Object.keys(payload).length === 0) {
    problems.push({ path: at, message: 'no trait given: identify sets at least one' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, payload };
}

function checkCustom(value: unknown, payload: IdentifyPayload, bad: (field: string, message: string) => void) {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return bad('custom', 'an object of your own traits (name → string, number or boolean; null clears one)');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > TRAIT_LIMITS.customKeys) return bad('custom', `at most ${TRAIT_LIMITS.customKeys} traits`);
  const custom: Record<string, CustomValue | null> = {};
  for (const [key, v] of entries) {
    if (!CUSTOM_KEY.test(key) || key.length > TRAIT_LIMITS.customKeyLength) {
      bad(
        `custom.${key}`,
        `a trait name is a letter then letters, digits or _ (at most ${TRAIT_LIMITS.customKeyLength})`,
      );
    } else if (v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
      custom[key] = v;
    } else if (typeof v === 'string' && v.length <= TRAIT_LIMITS.text) {
      custom[key] = v;
    } else {
      bad(`custom.${key}`, `a string (at most ${TRAIT_LIMITS.text} characters), a number or a boolean, or null`);
    }
  }
  payload.custom = custom;
}

export function normalDomain(value: string): string | null {
  const domain = value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/.*$/, '');
  return DOMAIN.test(domain) ? domain : null;
}

/** One trait's current value and the time it was set at (what last-write-wins compares). */
export interface TraitSlot {
  value: CustomValue | null;
  at: Date;
}

/** A change of one trait that won: what the contact's trait history keeps. */
export interface TraitChange {
  trait: string;
  value: CustomValue | null;
  previous: CustomValue | null;
  at: Date;
  interactionId: string;
}

/**
 * Folds one IDENTIFY into the contact's traits, last-write-wins per trait by the IDENTIFY's time:
 * a trait set at a later time is never overwritten by an older IDENTIFY (equal times: the later
 * arrival wins). Custom traits are keyed `custom.<name>`. Returns the traits after and the changes.
 */
export function applyIdentify(
  traits: Readonly<Record<string, TraitSlot>>,
  payload: IdentifyPayload,
  at: Date,
  interactionId: string,
): { traits: Record<string, TraitSlot>; changes: TraitChange[] } {
  const next: Record<string, TraitSlot> = { ...traits };
  const changes: TraitChange[] = [];
  const set = (trait: string, value: CustomValue | null) => {
    const current = next[trait];
    if (current && current.at.getTime() > at.getTime()) return; // a newer value stands
    if (current && current.value === value) return void (next[trait] = { value, at });
    if (!current && value === null) return;
    next[trait] = { value, at };
    changes.push({ trait, value, previous: current?.value ?? null, at, interactionId });
  };
  for (const trait of STANDARD_TRAITS) {
    const value = payload[trait];
    if (value !== undefined) set(trait, value);
  }
  for (const [name, value] of Object.entries(payload.custom ?? {})) set(`custom.${name}`, value);
  return { traits: next, changes };
}
