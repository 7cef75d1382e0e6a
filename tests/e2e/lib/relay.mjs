// Starting and stopping a real regie-relay for a test: a free port, a
// temporary data directory, and the built app from REGIE_DIST.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the end-to-end tests through \`cargo xtask test\``);
  return value;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = 'regie-e2e-') {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Starts the relay; resolves once it prints its address. `dist`: the app
 * directory to serve (default REGIE_DIST), e.g. a copy a test "deploys" to. */
export async function startRelay({ port, dataDir, extraArgs = [], dist = required('REGIE_DIST') }) {
  const bin = required('REGIE_RELAY_BIN');
  const child = spawn(bin, ['--addr', `127.0.0.1:${port}`, '--data-dir', dataDir, '--dist', dist, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start within 30 s\n${stderr}`)), 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/Regie relay listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`relay exited (${code}) before starting\n${stderr}`)); });
  });
  return {
    url,
    process: child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Creates a token with the relay's CLI, as an operator would; returns it. */
export async function createToken({ dataDir, readOnly = false, doc, scope, label }) {
  const args = ['token', 'create', readOnly ? '--read-only' : '--edit', '--data-dir', dataDir];
  if (doc) args.push('--doc', doc);
  if (scope) args.push('--scope', scope);
  if (label) args.push('--label', label);
  const { stdout } = await promisify(execFile)(required('REGIE_RELAY_BIN'), args);
  const m = stdout.match(/^token:\s+(\S+)$/m);
  if (!m) throw new Error(`no token in:\n${stdout}`);
  return m[1];
}
