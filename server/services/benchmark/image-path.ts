import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve, sep } from 'node:path';

/**
 * Where a record's `image` may point: a file inside the `images` folder next to the benchmark file (the reference
 * benchmark's layout: `images/problem_3_image.png`). Why: validation says whether an image exists, and a researcher
 * uploading a file could otherwise learn which files exist anywhere on the server (`/etc/passwd` found, a missing file
 * not). Absolute paths, `..` out of the folder, and symlinks leading out of it are answered exactly as a missing file,
 * and paths outside the folder are never looked up, so the answer and its timing say nothing about them.
 */
export const IMAGES_FOLDER = 'images';

function inside(folder: string, path: string): boolean {
  return path.startsWith(folder + sep);
}

/** The image's real path if it is a file inside `<benchmarkDir>/images/`; null otherwise (missing or not allowed). */
export async function resolveImage(benchmarkDir: string, image: string): Promise<string | null> {
  if (image.includes('\0') || isAbsolute(image)) return null;
  const folder = resolve(benchmarkDir, IMAGES_FOLDER);
  const full = resolve(benchmarkDir, image);
  if (!inside(folder, full)) return null;
  try {
    // Symlinks are followed, then the real path must still be inside the real folder.
    const [realFolder, realFull] = await Promise.all([realpath(folder), realpath(full)]);
    if (!inside(realFolder, realFull)) return null;
    return (await stat(realFull)).isFile() ? realFull : null;
  } catch {
    return null;
  }
}
