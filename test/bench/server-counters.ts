// What a benchmark cost the servers, counted by themselves: FerretDB's commands (its debug
// handler's /metrics, served when the test servers start with CEI_FERRET_DEBUG_ADDR set, e.g.
// 127.0.0.1:8089) and the NATS server's messages and JetStream API requests (its monitoring
// endpoint, with CEI_NATS_MONITOR_PORT set, e.g. 8222).

/** FerretDB's own counters of the commands it answered, by command (its debug handler's /metrics). */
export async function ferretCommands(): Promise<Record<string, number> | null> {
  const addr = process.env.CEI_FERRET_DEBUG_ADDR;
  if (!addr) return null;
  const text = await (await fetch(`http://${addr}/debug/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^ferretdb_client_requests_total\{.*command="(\w+)".*\} (\d+)/.exec(line);
    if (match) counts[match[1]!] = (counts[match[1]!] ?? 0) + Number(match[2]);
  }
  return counts;
}

/**
 * What `after` counted beyond `before`, per unit of work (e.g. per interaction), by command; those
 * below 0.01 per unit are left out.
 */
export function commandsPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  const per: Record<string, number> = {};
  for (const [command, count] of Object.entries(after)) {
    const perUnit = units > 0 ? (count - (before[command] ?? 0)) / units : 0;
    if (perUnit >= 0.01) per[command] = Math.round(perUnit * 100) / 100;
  }
  return per;
}

/** The NATS server's counts of messages in and out and of JetStream API requests, if monitored. */
export async function natsCounts(): Promise<Record<string, number> | null> {
  const port = process.env.CEI_NATS_MONITOR_PORT;
  if (!port) return null;
  const varz = (await (await fetch(`http://127.0.0.1:${port}/varz`)).json()) as { in_msgs: number; out_msgs: number };
  const jsz = (await (await fetch(`http://127.0.0.1:${port}/jsz`)).json()) as { api?: { total?: number } };
  return { messagesIn: varz.in_msgs, messagesOut: varz.out_msgs, jetStreamApiRequests: jsz.api?.total ?? 0 };
}
