#!/usr/bin/env node
// Vigil's local object store: s3rver (a file-backed S3 emulator) keeping its data under --data-dir, so objects outlive
// the process. MinIO remains the production store. Usage and limits: README.md beside this file.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCipheriv } from 'node:crypto';
import { awsChunkedMiddleware } from './lib/aws-chunked.mjs';
import { removeInterruptedWrites, useDurableWrites } from './lib/durable-writes.mjs';
import { s3GapsMiddleware } from './lib/s3-gaps.mjs';
import { tolerantWalk } from './lib/tolerant-walk.mjs';

const require = createRequire(import.meta.url);

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '9000' },
    address: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: path.join('.vigil', 'objectstore') },
    bucket: { type: 'string', multiple: true, default: ['vigil'] },
    'access-key': { type: 'string', default: process.env.OBJECTSTORE_ACCESS_KEY ?? 'vigil' },
    'log-requests': { type: 'boolean', default: false },
    'parent-pid': { type: 'string' },
  },
  strict: true,
});

const port = Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a TCP port number, got '${options.port}'`);
const dataDir = path.resolve(options['data-dir']);
const buckets = options.bucket.filter((name) => name !== '');
for (const name of buckets) {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) fail(`'${name}' is not a valid S3 bucket name`);
}
mkdirSync(dataDir, { recursive: true });

// s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 offers only through its legacy provider.
try {
  createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
} catch {
  fail('start node with --openssl-legacy-provider (s3rver needs DES for ListObjectsV2 continuation tokens)');
}

// The fixes must be in place before s3rver's store module is loaded (it copies `walk` when it loads).
require('s3rver/lib/utils').walk = tolerantWalk;
useDurableWrites(require('s3rver/lib/stores/filesystem'));
const S3rver = require('s3rver');
const AWSAccount = require('s3rver/lib/models/account');
const S3Error = require('s3rver/lib/models/error');

// s3rver accepts SigV4 requests from any registered access key without checking the signature, so the secret key is
// not needed here; an unknown access key is refused with InvalidAccessKeyId.
AWSAccount.DUMMY_ACCOUNT.createKeyPair(options['access-key'], process.env.OBJECTSTORE_SECRET_KEY ?? 'unused');

const server = new S3rver({
  address: options.address,
  port,
  directory: dataDir,
  silent: true,
  resetOnClose: false, // never wipe the data folder on stop
  vhostBuckets: false, // path-style addressing only, as the services use it
  configureBuckets: buckets.map((name) => ({ name })),
});
server.middleware.unshift(requestLog(options['log-requests']), awsChunkedMiddleware(), s3GapsMiddleware(S3Error));

let listening;
try {
  await removeInterruptedWrites(dataDir);
  listening = await server.run();
} catch (error) {
  fail(`cannot start: ${error.message}`);
}
console.log(`objectstore: listening on http://${listening.address}:${listening.port} (data in ${dataDir}; buckets: ${buckets.join(', ') || 'none'})`);

function stop() {
  server.close(() => process.exit(0));
  // Keep-alive connections can hold close() open; never outstay a stop request by more than a few seconds.
  setTimeout(() => process.exit(0), 3000).unref();
}
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stop);

// One broken request must not take the store away from every service (nothing would restart it): say what happened,
// loudly and with the stack, and keep serving. Data on disk is only ever replaced by a finished rename.
process.on('uncaughtException', (error) => console.error(`objectstore: a request failed outside its handler: ${error.stack ?? error}`));

// With --parent-pid, stop when that process is gone (an AppHost or test host that crashed cannot stop us itself).
if (options['parent-pid'] !== undefined) {
  const parent = Number(options['parent-pid']);
  if (!Number.isInteger(parent) || parent <= 0) fail(`--parent-pid must be a process id, got '${options['parent-pid']}'`);
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch (error) {
      if (error.code === 'ESRCH') stop();
    }
  }, 1000).unref();
}

/** Logs every request with --log-requests; otherwise only server errors, so the console is not flooded. */
function requestLog(all) {
  return async function logRequest(ctx, next) {
    const started = process.hrtime.bigint();
    let status = 500;
    let failure;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      // S3 errors (NoSuchKey, ...) carry their status; anything else is a server fault.
      status = error.status ?? error.statusCode ?? 500;
      failure = status >= 500 ? error : undefined;
      throw error;
    } finally {
      if (all || status >= 500) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        const line = `objectstore: ${ctx.method} ${ctx.url} ${status} ${ms.toFixed(1)} ms${failure ? ` ${failure.stack ?? failure}` : ''}`;
        (status >= 500 ? console.error : console.log)(line);
      }
    }
  };
}

function fail(message) {
  console.error(`objectstore: ${message}`);
  process.exit(2);
}
