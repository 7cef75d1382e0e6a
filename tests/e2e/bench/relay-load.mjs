// Relay under load, side by side with the reference automerge-repo sync
// server (bench/reference-server.mjs): the same native load generator
// (`crates/regie-relay/examples/load.rs`, REGIE_LOAD_BIN) runs against each
// in turn, on a fresh data directory. Run by `cargo xtask bench` (not a
// test): prints one JSON line with both results and their ratios.
//
// The relay fsyncs every change before passing it on; the reference server
// writes (throttled, unsynced) behind the scenes. So the relay runs a second
// time with its data in memory (/dev/shm, where fsync costs nothing), which
// shows what the disk costs and what the engine itself does.
//
// LOAD_PEERS (1000), LOAD_DOCS (100), LOAD_RATE (changes/s per peer, 0.1),
// LOAD_SECONDS (measured window, 30) set the workload. REGIE_RELAY_BIN is
// the relay measured (`cargo xtask bench` builds it; point it at another
// build to compare). All peers come from 127.0.0.1, so the relay's limits
// on connections (in all and per address) are raised for the benchmark
// (REGIE_MAX_CONNECTIONS, REGIE_MAX_CONNECTIONS_PER_ADDR, 20000 unless set).
//
// bench/capacity.mjs imports the helpers below for its ramp; run as a
// script, this file runs the fixed load.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { createToken, freePort, startRelay, tempDir } from '../lib/relay.mjs';

const PEERS = Number(process.env.LOAD_PEERS || 1000);
const DOCS = Number(process.env.LOAD_DOCS || 100);
const RATE = Number(process.env.LOAD_RATE || 0.1);
const SECONDS = Number(process.env.LOAD_SECONDS || 30);

// startRelay hands the relay this process's environment.
process.env.REGIE_MAX_CONNECTIONS ||= '20000';
process.env.REGIE_MAX_CONNECTIONS_PER_ADDR ||= '20000';

/** Runs the load generator against `url`; resolves with its JSON report.
 * `workload`: peers, docs, rate, seconds (the window), and optionally
 * warmup, drain and connectTimeout (seconds; the generator's defaults). */
export function load(label, url, pid, token, workload = {}) {
  const bin = process.env.REGIE_LOAD_BIN;
  if (!bin) throw new Error('REGIE_LOAD_BIN: the built load example');
  const { peers = PEERS, docs = DOCS, rate = RATE, seconds = SECONDS, warmup, drain, connectTimeout } = workload;
  const args = ['--url', url, '--peers', peers, '--docs', docs, '--rate', rate,
    '--duration', seconds, '--server-pid', pid, '--label', label].map(String);
  if (warmup !== undefined) args.push('--warmup', String(warmup));
  if (drain !== undefined) args.push('--drain', String(drain));
  if (connectTimeout !== undefined) args.push('--connect-timeout', String(connectTimeout));
  if (token) args.push('--token', token);
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`load generator against ${label} exited ${code}\n${out}`));
    });
  });
}

/** Starts the reference server; resolves once it listens. */
export async function startReference() {
  const port = await freePort();
  const child = spawn(process.execPath, ['bench/reference-server.mjs', String(port), await tempDir('regie-ref-')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (ws:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`reference server exited (${code})`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { url, pid: child.pid, stop: () => { child.kill('SIGTERM'); return exited; } };
}

/** Runs the load against our relay with its data in `dataDir`. */
export async function loadRelay(label, dataDir, workload) {
  const relay = await startRelay({ port: await freePort(), dataDir });
  try {
    const token = await createToken({ dataDir });
    return await load(label, `${relay.url.replace(/^http/, 'ws')}/sync`, relay.process.pid, token, workload);
  } finally {
    await relay.stop();
    if (dataDir.startsWith('/dev/shm/')) await rm(dataDir, { recursive: true, force: true });
  }
}

/** Runs the load against a fresh reference server. */
export async function loadReference(label, workload) {
  const reference = await startReference();
  try {
    return await load(label, reference.url, reference.pid, undefined, workload);
  } finally {
    await reference.stop();
  }
}

/** The fixed load against the relay (data on disk, then in memory) and the
 * reference server: one JSON line. */
async function main() {
  const regie = await loadRelay('regie-relay', await tempDir('regie-load-'));
  const inMemory = existsSync('/dev/shm')
    ? await loadRelay('regie-relay (data in /dev/shm)', await mkdtemp('/dev/shm/regie-load-'))
    : null;
  const ref = await loadReference('automerge-repo');

  const ratio = (a, b) => (Number.isFinite(a / b) ? +(a / b).toFixed(3) : null);
  console.log(JSON.stringify({
    bench: 'relay_load',
    peers: PEERS,
    docs: DOCS,
    rate_per_peer: RATE,
    window_s: SECONDS,
    regie_relay: regie,
    reference_automerge_repo: ref,
    regie_relay_data_in_memory: inMemory,
    ratio_regie_over_reference: {
      changes_per_s: ratio(regie.changes_per_s, ref.changes_per_s),
      deliveries_per_s: ratio(regie.deliveries_per_s, ref.deliveries_per_s),
      fanout_p50: ratio(regie.fanout_p50_ms, ref.fanout_p50_ms),
      fanout_p99: ratio(regie.fanout_p99_ms, ref.fanout_p99_ms),
      rss_peak: ratio(regie.server_rss_peak_kib, ref.server_rss_peak_kib),
    },
    target: { peers: 1000, docs: 100, fanout_p99_ms: 200 },
  }));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
