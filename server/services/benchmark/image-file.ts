import { open, readFile } from 'node:fs/promises';
import type { ModelImage } from '../../models/model-provider.ts';
import { resolveImage } from './image-path.ts';

/**
 * A record's image as `prefdisco run --image` sends it to the model under test.
 *
 * The reference opens the image with PIL and re-encodes it as JPEG. We have no image library, so we send the file's
 * own bytes, unchanged and unresized as in the reference, with the media type its first bytes say (the extension is
 * not trusted: a `.png` holding a JPEG is sent as image/jpeg). Only the formats the chat APIs take are accepted.
 */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

/** The media type named by a file's first 12 bytes, or null when they are none of PNG, JPEG, GIF or WebP. */
export function imageMediaType(head: Uint8Array): ImageMediaType | null {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (head.length >= 8 && png.every((b, i) => head[i] === b)) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 6 && /^GIF8[79]a$/.test(ascii(head, 0, 6))) return 'image/gif';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  return null;
}

/** An image found and recognised when the run is planned; its bytes are read only when its episode starts. */
export interface ImageFile {
  path: string;
  mediaType: ImageMediaType;
}

export type ImageProbe = { ok: true; file: ImageFile } | { ok: false; reason: string };

/** Finds `image` inside `<benchmarkDir>/images/` (image-path.ts) and recognises its format from its first bytes. */
export async function probeImage(benchmarkDir: string, image: string): Promise<ImageProbe> {
  const path = await resolveImage(benchmarkDir, image);
  if (path === null) return { ok: false, reason: `image ${JSON.stringify(image)} not found in the images folder` };
  const head = new Uint8Array(12);
  let read = 0;
  try {
    const handle = await open(path, 'r');
    try {
      read = (await handle.read(head, 0, head.length, 0)).bytesRead;
    } finally {
      await handle.close();
    }
  } catch {
    return { ok: false, reason: `image ${JSON.stringify(image)} could not be read` };
  }
  const mediaType = imageMediaType(head.subarray(0, read));
  if (mediaType === null)
    return { ok: false, reason: `image ${JSON.stringify(image)} is not a PNG, JPEG, GIF or WebP file` };
  return { ok: true, file: { path, mediaType } };
}

/** The image's bytes as they are on disk, for the model call. */
export async function readImage(file: ImageFile): Promise<ModelImage> {
  return { mediaType: file.mediaType, data: new Uint8Array(await readFile(file.path)) };
}
