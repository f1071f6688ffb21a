// Decodes an `aws-chunked` request body (SigV4 streaming uploads, with or without trailers) into the plain object bytes.
// s3rver stores the body exactly as it arrives, so without this the chunk headers would end up inside the object.
import { Transform } from 'node:stream';

const CRLF = Buffer.from('\r\n');
const MAX_LINE = 4096;

export class AwsChunkedDecoder extends Transform {
  #pending = Buffer.alloc(0);
  #state = 'size'; // size -> data -> crlf -> size ... -> trailer -> done
  #remaining = 0;

  _transform(chunk, _encoding, callback) {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    try {
      this.#drain();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  _flush(callback) {
    callback(this.#state === 'done' ? null : new Error(`aws-chunked body ended early (while reading ${this.#state})`));
  }

  #drain() {
    for (;;) {
      if (this.#state === 'data') {
        if (this.#pending.length === 0) return;
        const take = Math.min(this.#remaining, this.#pending.length);
        this.push(this.#pending.subarray(0, take));
        this.#pending = this.#pending.subarray(take);
        this.#remaining -= take;
        if (this.#remaining > 0) return;
        this.#state = 'crlf';
        continue;
      }
      if (this.#state === 'done') {
        this.#pending = Buffer.alloc(0);
        return;
      }
      const line = this.#takeLine();
      if (line === null) return;
      if (this.#state === 'crlf') {
        if (line.length !== 0) throw new Error('aws-chunked chunk data is not followed by CRLF');
        this.#state = 'size';
      } else if (this.#state === 'size') {
        // "<hex size>[;chunk-signature=<hex>]"
        const size = Number.parseInt(line.toString('latin1').split(';', 1)[0], 16);
        if (!Number.isFinite(size) || size < 0) throw new Error('aws-chunked chunk size is not hexadecimal');
        if (size === 0) {
          this.#state = 'trailer';
        } else {
          this.#remaining = size;
          this.#state = 'data';
        }
      } else if (this.#state === 'trailer') {
        // Trailing headers (checksums, trailer signature) end with an empty line; their values are not checked.
        if (line.length === 0) this.#state = 'done';
      }
    }
  }

  #takeLine() {
    const end = this.#pending.indexOf(CRLF);
    if (end < 0) {
      if (this.#pending.length > MAX_LINE) throw new Error('aws-chunked header line is too long');
      return null;
    }
    const line = this.#pending.subarray(0, end);
    this.#pending = this.#pending.subarray(end + CRLF.length);
    return line;
  }
}

/** True when the request body is aws-chunked (streaming SigV4 signing or a trailing checksum). */
export function isAwsChunked(headers) {
  const sha = headers['x-amz-content-sha256'] ?? '';
  const encoding = headers['content-encoding'] ?? '';
  return sha.startsWith('STREAMING-') || encoding.split(',').some((part) => part.trim() === 'aws-chunked');
}

/**
 * Koa middleware: swaps the request stream for its decoded bytes and makes the headers describe the decoded object
 * (Content-Length from x-amz-decoded-content-length, aws-chunked removed from Content-Encoding so it is not stored).
 */
export function awsChunkedMiddleware() {
  return async function decodeAwsChunked(ctx, next) {
    const headers = ctx.req.headers;
    if (isAwsChunked(headers)) {
      const decoded = headers['x-amz-decoded-content-length'];
      if (decoded !== undefined) headers['content-length'] = decoded;
      const encoding = (headers['content-encoding'] ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part && part !== 'aws-chunked');
      if (encoding.length) headers['content-encoding'] = encoding.join(',');
      else delete headers['content-encoding'];
      const decoder = new AwsChunkedDecoder();
      // A client that goes away mid-upload destroys the decoder with its error; until the store pipes the decoder
      // somewhere, nothing else listens, and an 'error' event without a listener would end the whole process.
      decoder.on('error', () => {});
      ctx.req.on('error', (error) => decoder.destroy(error));
      ctx.req.pipe(decoder);
      ctx.req = decoder;
    }
    await next();
  };
}
