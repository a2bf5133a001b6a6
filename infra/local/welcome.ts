// The demo workspace `pnpm start` sets up, and the welcome banner: URLs, its fresh keys, and
// commands ready to paste that show an interaction travel to a phase change.
import { databaseName } from '../../packages/config/src';
import { connectDatabase } from '../../packages/mongo/src';
import {
  createWorkspace,
  issueWorkspaceKeys,
  WorkspaceError,
  type WorkspaceKeys,
} from '../../gateway/src/auth/api-keys';
import { seconds, shown } from './output';
import type { StateDirs } from './settings';

export const DEMO_WORKSPACE = 'demo';

/** Creates the demo workspace on first run; afterwards issues it a fresh key set (keys are stored hashed only). */
export async function demoWorkspace(
  mongoUrl: string,
  namespace: string,
): Promise<WorkspaceKeys & { created: boolean }> {
  const db = await connectDatabase(mongoUrl, databaseName(namespace, 'gateway'));
  try {
    return { ...(await createWorkspace(db.connection, DEMO_WORKSPACE)), created: true };
  } catch (error) {
    if (!(error instanceof WorkspaceError && error.code === 'WORKSPACE_EXISTS')) throw error;
    return { ...(await issueWorkspaceKeys(db.connection, DEMO_WORKSPACE)), created: false };
  } finally {
    await db.close();
  }
}

export function printWelcome(
  gatewayPort: number,
  keys: WorkspaceKeys['keys'],
  dirs: StateDirs,
  elapsedMs: number,
  operator: { key: string; generated: boolean },
): void {
  const http = `http://127.0.0.1:${gatewayPort}/graphql`;
  const ws = `ws://127.0.0.1:${gatewayPort}/graphql`;
  const curl = (key: string, body: string) => [
    `  curl -s ${http} -H 'content-type: application/json' \\`,
    `    -H 'authorization: Bearer ${key}' \\`,
    `    -d '${body}'`,
  ];
  const run = Date.now().toString(36);
  // Three visits at 20 points cross the default purchase threshold (50): the watcher sees NURTURE → PURCHASE.
  const visits = [1, 2, 3].map((n) => ({
    id: `demo-${run}-${n}`,
    kind: 'PAGE_VISIT',
    contactId: 'alice',
    email: 'alice@example.com',
    source: 'SEARCH_ENGINE',
    properties: { url: `/pricing?step=${n}` },
  }));
  const track = JSON.stringify({
    query:
      'mutation Track($interactions: [InteractionInput!]!) { trackInteractions(interactions: $interactions) { accepted duplicates rejected items { id status reason } } }',
    variables: { interactions: visits },
  });
  const rule = JSON.stringify({
    query: 'mutation { createScoringRule(input: {kind: PAGE_VISIT, points: 20}) { id kind points } }',
  });
  const contact = JSON.stringify({
    query: '{ contact(id: "alice") { email phase score { general engagementIndex } } }',
  });
  const newWorkspace = JSON.stringify({
    query:
      'mutation { createWorkspace(input: {id: "acme"}) { workspace { id status } adminKey { secret apiKey { id label role } } } }',
  });
  const newKey = JSON.stringify({
    query: 'mutation { createApiKey(input: {label: "CRM sync", role: WRITE}) { secret apiKey { id prefix } } }',
  });
  const subscription = 'subscription { phaseChanged { from to at reason contact { id email score { general } } } }';
  const watcher =
    `require('graphql-ws').createClient({ url: '${ws}', webSocketImpl: require('ws'), ` +
    `connectionParams: { authorization: 'Bearer ${keys.read}' } }).subscribe({ query: '${subscription}' }, ` +
    '{ next: (m) => console.log(JSON.stringify(m)), error: (e) => console.error(e), complete: () => {} })';
  const lines = [
    '',
    `CEI is running (started in ${seconds(elapsedMs)}). Ctrl-C stops everything.`,
    '',
    `  GraphQL (HTTP)   ${http}`,
    `  WebSocket        ${ws}   (graphql-ws: subscriptions; send {"authorization": "Bearer <key>"} in connection_init)`,
    `  Workspace        ${DEMO_WORKSPACE}`,
    `  Admin key        ${keys.admin}`,
    `  Write key        ${keys.write}`,
    `  Read key         ${keys.read}`,
    `  Operator key     ${operator.key}   (${operator.generated ? 'new this run; set CEI_OPERATOR_KEY to keep one' : 'from CEI_OPERATOR_KEY'}: workspaces only)`,
    '',
    'Try it from another terminal, in this directory:',
    '',
    '1. Give page visits 20 points (admin key; a second time it says the rule exists):',
    ...curl(keys.admin, rule),
    '',
    '2. Watch phase changes live (read key), and leave it running:',
    `  (cd gateway && node -e "${watcher}")`,
    '',
    '3. Track three page visits (write key; sending the same ids again answers DUPLICATE):',
    ...curl(keys.write, track),
    '',
    '4. Read the contact back (read key):',
    ...curl(keys.read, contact),
    '',
    '5. Create a workspace (operator key: it runs workspaces, not their data) and a key in demo (admin key):',
    ...curl(operator.key, newWorkspace),
    ...curl(keys.admin, newKey),
    '',
    `Data is kept in ${shown(dirs.data)} (delete it to start over); logs are in ${shown(dirs.logs)}.`,
    'These keys are new this run; keys printed by earlier runs stay valid.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
