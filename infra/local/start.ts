// `pnpm start`: the whole CEI platform on one machine. Starts NATS (JetStream) and
// FerretDB on PostgreSQL (unless NATS_URL / MONGO_URL point elsewhere), the four
// subgraphs and the gateway, mints keys for a `demo` workspace and prints them.
//
// Two processes: the one you start only relays Ctrl-C / SIGTERM to a second one
// running in its own process group, so a terminal's Ctrl-C cannot hit every server
// and service at once; that second process stops them in order (gateway, services,
// FerretDB, PostgreSQL, NATS), each with a deadline, and exits only once they have all
// exited. package.json runs this as `exec node --conditions=cei-source --import tsx` (the
// condition: workspace libraries from their sources, see tsconfig.build.json), not through
// the tsx CLI: the CLI SIGKILLs its child when it does not confirm a Ctrl-C within 60 ms, which on a
// busy machine returned the prompt while the platform was still stopping; `exec` makes
// this process the one pnpm waits for.
//
// Beside this entry: relay.ts (the first process), platform.ts (the second), which uses
// settings.ts, servers.ts, app-processes.ts, supervisor.ts (restarts) and welcome.ts;
// output.ts is how they talk.
import { runPlatform } from './platform';
import { PLATFORM_FLAG, relay } from './relay';

if (process.argv.includes(PLATFORM_FLAG)) void runPlatform();
else relay(__filename);
