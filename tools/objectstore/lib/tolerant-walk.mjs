// s3rver lists a bucket by walking its folder; an entry that disappears between readdir and stat (a finished upload's
// temporary file renamed into place, an object deleted meanwhile) makes upstream's walk throw and the listing fail.
// This walk skips such entries.
import fs from 'node:fs';
import path from 'node:path';

export function* tolerantWalk(dir, recurseFilter) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return;
    throw error;
  }
  for (const name of names) {
    const filePath = path.posix.join(dir, name);
    let stats;
    try {
      stats = fs.statSync(filePath);
    } catch (error) {
      if (error.code === 'ENOENT') continue;
      throw error;
    }
    if (!stats.isDirectory()) {
      yield filePath;
    } else if (!recurseFilter || recurseFilter(filePath)) {
      yield* tolerantWalk(filePath, recurseFilter);
    }
  }
}
