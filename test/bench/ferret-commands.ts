// The database commands a benchmark cost, counted by FerretDB itself: its debug handler's /metrics,
// served when the test servers start with CEI_FERRET_DEBUG_ADDR set (e.g. 127.0.0.1:8089).

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

/** What `after` counted beyond `before`, per unit of work (e.g. per interaction), by command. */
export function commandsPer(
  before: Record<string, number>,
  after: Record<string, number>,
  units: number,
): Record<string, number> {
  const per: Record<string, number> = {};
  for (const [command, count] of Object.entries(after)) {
    const added = count - (before[command] ?? 0);
    if (added > 0 && units > 0) per[command] = Math.round((added / units) * 100) / 100;
  }
  return per;
}
