// Role checks inside resolvers: the gateway vouches for who calls, each field says who may.
import { ERRORS, type CallerContext, type Role } from '@cei/contracts';

const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

export function requireRole(caller: CallerContext, needed: Role): void {
  if (RANK[caller.role] < RANK[needed]) {
    throw ERRORS.FORBIDDEN.err(`this operation needs an API key with the ${needed} role; this key has ${caller.role}`, {
      extensions: { requiredRole: needed },
    });
  }
}
