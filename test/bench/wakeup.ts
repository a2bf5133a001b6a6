// `pnpm bench:wakeup`: what waking an idle process costs on this machine, the unit price of an
// interaction that travels alone. A single interaction's phase change wakes the gateway, four
// services, the NATS server, FerretDB and PostgreSQL some forty times on its way; at a steady low
// rate each of those processes is idle when its turn comes, and on a virtual machine a wake-up costs
// far more than the work it wakes for. Measures, in this process: a timer that fires and does
// nothing, and a one-byte loopback round trip (the process echoes to itself, so both ends are woken)
// paused between round trips and back to back. Prints one JSON object (CPU milliseconds per wake-up
// or round trip).
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** CPU milliseconds per call of `step`, over `times` calls. */
async function cpuPer(times: number, step: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < times; i++) await step();
  const used = process.cpuUsage(before);
  return round3((used.user + used.system) / 1000 / times);
}

async function main() {
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const socket: Socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.setNoDelay(true);
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('x');
    });
  try {
    const result = {
      unit: 'CPU milliseconds of this process',
      timerEvery20ms: await cpuPer(300, () => sleep(20)),
      timerEvery5ms: await cpuPer(1_000, () => sleep(5)),
      loopbackRoundTripEvery20ms: await cpuPer(300, async () => {
        await roundTrip();
        await sleep(20);
      }),
      loopbackRoundTripBackToBack: await cpuPer(5_000, roundTrip),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    socket.destroy();
    server.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`[bench:wakeup] failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
