// s3rver's file store answers a PUT before the bytes reach the file (it resolves when its hashing stream finishes, not
// when the file is written) and writes straight over the live file, so a read right after a write, two writes of one key,
// or a process killed mid-upload can see a short or mixed object. These replacements write to a temporary file beside the
// target, wait until it is flushed and closed, then rename it into place.
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

async function writeAtomically(targetPath, content) {
  await fs.mkdir(path.dirname(targetPath), { recursive: true });
  const temporary = `${targetPath}.${randomUUID()}.partial`;
  const md5 = createHash('md5');
  let size = 0;
  try {
    if (Buffer.isBuffer(content)) {
      md5.update(content);
      size = content.length;
      await fs.writeFile(temporary, content);
    } else {
      const measure = new Transform({
        transform(chunk, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      });
      await pipeline(content, measure, createWriteStream(temporary));
    }
    await fs.rename(temporary, targetPath);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  return { size, md5: md5.digest('hex') };
}

/** Replaces putObject and putPart of s3rver's FilesystemStore with write-then-rename versions. */
export function useDurableWrites(FilesystemStore) {
  FilesystemStore.prototype.putObject = async function putObject(object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    const { size, md5 } = await writeAtomically(objectPath, object.content);
    await this.putMetadata(object.bucket, object.key, object.metadata, md5);
    return { size, md5 };
  };

  FilesystemStore.prototype.putPart = async function putPart(bucket, uploadId, partNumber, content) {
    const partPath = path.join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId, partNumber.toString());
    const { size, md5 } = await writeAtomically(partPath, content);
    await fs.writeFile(`${partPath}.md5`, md5);
    return { size, md5 };
  };
}

/** Deletes the temporary files of uploads that a killed process left behind (they are never listed or served). */
export async function removeInterruptedWrites(directory) {
  for (const entry of await fs.readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.partial')) {
      await fs.rm(path.join(entry.parentPath ?? entry.path, entry.name), { force: true });
    }
  }
}
