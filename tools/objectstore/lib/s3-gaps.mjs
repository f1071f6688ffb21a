// Koa middleware for the parts of the S3 API the services' SDK uses that s3rver 3.7 gets wrong or lacks:
// - suffix ranges (`Range: bytes=-N`, the last N bytes): s3rver reads them as bytes 0..N;
// - AbortMultipartUpload (DELETE ?uploadId=): s3rver answers MethodNotAllowed and keeps the parts forever;
// - an uploadId that is not one s3rver issued (32 hex digits) is refused before it can name a path outside the store.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** `/bucket/key/with/slashes` of a path-style request, or null for service and bucket requests. */
function objectAddress(ctx) {
  const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  if (!match) return null;
  try {
    return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
  } catch {
    return null;
  }
}

export function s3GapsMiddleware(S3Error) {
  return async function fillS3Gaps(ctx, next) {
    const uploadId = ctx.query.uploadId;
    if (uploadId !== undefined && !/^[0-9a-f]{32}$/.test(uploadId)) {
      throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
    }
    const address = objectAddress(ctx);
    if (address && ctx.method === 'DELETE' && uploadId !== undefined) {
      await abortUpload(ctx, address, uploadId, S3Error);
      return;
    }
    if (address && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      await rewriteSuffixRange(ctx, address);
    }
    await next();
  };
}

async function abortUpload(ctx, { bucket }, uploadId, S3Error) {
  const uploadDir = path.join(ctx.app.store.getResourcePath(bucket, undefined, 'uploads'), uploadId);
  try {
    await fs.access(uploadDir);
  } catch {
    throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
  }
  await fs.rm(uploadDir, { recursive: true, force: true });
  ctx.status = 204;
}

async function rewriteSuffixRange(ctx, { bucket, key }) {
  const suffix = /^bytes=-(\d+)$/.exec(ctx.get('range'));
  if (!suffix) return;
  let metadata;
  try {
    metadata = await ctx.app.store.getMetadata(bucket, key);
  } catch {
    return; // no such object: let s3rver answer NoSuchKey
  }
  const size = Number(metadata['content-length']);
  const length = Number(suffix[1]);
  if (size === 0 || length === 0) return;
  ctx.req.headers.range = `bytes=${Math.max(0, size - length)}-${size - 1}`;
}
