// Capacity ramp: where the relay and the reference automerge-repo server
// (bench/reference-server.mjs) stop keeping up. The load of relay-load.mjs
// (the native generator, REGIE_LOAD_BIN; 10 peers per document, each making
// CAPACITY_RATE (0.1) changes/s) with the number of peers doubling from
// CAPACITY_START (250): each step on a fresh server and data directory, with
// a short run (3 s warm-up, 15 s window, 5 s drain). A step passes when every
// peer connected and got in sync within 60 s, every change of the window
// reached every other peer of its document, and the fan-out p99 stayed at
// most 100 ms. A step that fails is run once more (CAPACITY_ATTEMPTS, 2, in
// all) and fails only if every attempt does: on a shared machine one burst
// of someone else's work can push a 15 s window's p99 over the line. The
// ramp stops at the first step that fails (the breaking point), at CAPACITY_MAX peers (16000, and never more than the open-file
// hard limit allows) or after CAPACITY_BUDGET_S (900) seconds per server.
// CAPACITY_ONLY=regie_relay (or reference_automerge_repo) ramps one of them.
// Run by `cargo xtask bench` (not a test): prints one JSON line.
//
// On a small machine the generator shares the cores with the server; each
// step records the CPU both used in the window, and what the rest of the
// host used (others_cpu_pct), so a breaking point can be told apart from
// the generator, or other work, running out of cores.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tempDir } from '../lib/relay.mjs';
import { loadReference, loadRelay } from './relay-load.mjs';

const START = Number(process.env.CAPACITY_START || 250);
const RATE = Number(process.env.CAPACITY_RATE || 0.1);
const BUDGET_S = Number(process.env.CAPACITY_BUDGET_S || 900);
const ATTEMPTS = Math.max(1, Number(process.env.CAPACITY_ATTEMPTS || 2));
const PEERS_PER_DOC = 10;
const P99_LIMIT_MS = 100;
const RUN = { warmup: 3, seconds: 15, drain: 5, connectTimeout: 60 };

// Node raises its own soft limit on open files to the hard one, and its
// children inherit it: the generator and the server each hold a socket per
// peer, and a few more files besides.
const hardLimit = (() => {
  const shown = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return shown === 'unlimited' ? Infinity : Number(shown);
})();
const MAX = Math.min(Number(process.env.CAPACITY_MAX || 16000), hardLimit - 256);

const round = (value) => (Number.isFinite(value) ? value : null);

/** What failed in a step's report (empty: the step passed). */
function failures(peers, report) {
  const failed = [];
  if (report.peers_connected < peers) failed.push('connect');
  if (!(report.delivered_ratio >= 1)) failed.push('delivered');
  if (!(report.fanout_p99_ms <= P99_LIMIT_MS)) failed.push('p99');
  return failed;
}

/** One attempt at a step: what the generator reported, as a step's record. */
async function attempt(peers, run, workload) {
  try {
    const r = await run(workload);
    const cpu = r.cpu_window ?? {};
    const others = cpu.host_pct - cpu.server_pct - cpu.generator_pct;
    return {
      peers,
      failed: failures(peers, r),
      peers_connected: r.peers_connected,
      connections_refused: r.connections_refused,
      connect_s: r.connect_s,
      fanout_p50_ms: round(r.fanout_p50_ms),
      fanout_p99_ms: round(r.fanout_p99_ms),
      delivered_ratio: round(r.delivered_ratio),
      deliveries_per_s: r.deliveries_per_s,
      server_rss_peak_kib: r.server_rss_peak_kib,
      server_cpu_pct: cpu.server_pct ?? null,
      generator_cpu_pct: cpu.generator_pct ?? null,
      others_cpu_pct: Number.isFinite(others) ? +others.toFixed(1) : null,
    };
  } catch (error) {
    // The generator gave no report (the server went away, say).
    return { peers, failed: ['error'], error: String(error.message).split('\n')[0] };
  }
}

/** Runs the ramp with `run(workload)` measuring one step; the summary. */
async function ramp(label, run) {
  const started = Date.now();
  const steps = [];
  let lastPassing = null;
  let breaking = null;
  let stopped = 'cap';
  for (let peers = START; peers <= MAX; peers *= 2) {
    if ((Date.now() - started) / 1000 > BUDGET_S) {
      stopped = 'budget';
      break;
    }
    const workload = { ...RUN, peers, docs: peers / PEERS_PER_DOC, rate: RATE };
    const tries = [];
    for (let n = 1; n <= ATTEMPTS; n += 1) {
      const attempted = await attempt(peers, run, workload);
      console.error(`[capacity ${label}] attempt ${n}: ${JSON.stringify(attempted)}`);
      tries.push(attempted);
      if (attempted.failed.length === 0) break;
    }
    // The step is its last attempt (the one that passed, or the last of
    // those that failed), with the failed ones before it.
    const step = { ...tries.at(-1), attempts: tries.length };
    if (tries.length > 1) step.earlier_attempts = tries.slice(0, -1);
    steps.push(step);
    if (step.failed.length > 0) {
      breaking = step;
      stopped = 'broke';
      break;
    }
    lastPassing = step;
  }
  return {
    last_passing_peers: lastPassing?.peers ?? null,
    breaking_peers: breaking?.peers ?? null,
    broke_on: breaking?.failed ?? [],
    stopped,
    last_passing_p99_ms: lastPassing?.fanout_p99_ms ?? null,
    last_passing_rss_peak_kib: lastPassing?.server_rss_peak_kib ?? null,
    steps,
  };
}

const only = process.env.CAPACITY_ONLY;
const skipped = { skipped: true, last_passing_peers: null, breaking_peers: null, steps: [] };
const regie = only && only !== 'regie_relay' ? skipped : await ramp('regie-relay', async (workload) => {
  const dataDir = await tempDir('regie-capacity-');
  try {
    return await loadRelay(`regie-relay, ${workload.peers} peers`, dataDir, workload);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
const reference = only && only !== 'reference_automerge_repo'
  ? skipped
  : await ramp('automerge-repo', (workload) => loadReference(`automerge-repo, ${workload.peers} peers`, workload));

const ratio = (a, b) => (a && b ? +(a / b).toFixed(3) : null);
console.log(JSON.stringify({
  bench: 'relay_capacity',
  start_peers: START,
  max_peers: MAX,
  peers_per_doc: PEERS_PER_DOC,
  rate_per_peer: RATE,
  warmup_s: RUN.warmup,
  window_s: RUN.seconds,
  drain_s: RUN.drain,
  pass: { fanout_p99_ms: P99_LIMIT_MS, delivered_ratio: 1, connect_timeout_s: RUN.connectTimeout, attempts: ATTEMPTS },
  regie_relay: regie,
  reference_automerge_repo: reference,
  ratio_regie_over_reference: { last_passing_peers: ratio(regie.last_passing_peers, reference.last_passing_peers) },
}));
