import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageMediaType, probeImage, readImage } from '../../server/services/benchmark/image-file.ts';
import { tempDir, writeFile } from '../support/temp-files.ts';
import { TINY_PNG } from '../support/tiny-png.ts';

const bytes = (...values: (number | string)[]): Uint8Array =>
  Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...Buffer.from(v, 'latin1')] : [v])));

describe('imageMediaType', () => {
  it('recognises PNG, JPEG, GIF and WebP from their first bytes', () => {
    expect(imageMediaType(TINY_PNG)).toBe('image/png');
    expect(imageMediaType(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'JFIF'))).toBe('image/jpeg');
    expect(imageMediaType(bytes('GIF89a', 1, 0))).toBe('image/gif');
    expect(imageMediaType(bytes('GIF87a'))).toBe('image/gif');
    expect(imageMediaType(bytes('RIFF', 0x24, 0, 0, 0, 'WEBPVP8 '))).toBe('image/webp');
  });

  it('answers null for other formats, text and files too short to tell', () => {
    expect(imageMediaType(bytes('BM', 0, 0, 0, 0))).toBeNull(); // BMP
    expect(imageMediaType(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(imageMediaType(bytes('RIFF', 0x24, 0, 0, 0, 'WAVEfmt '))).toBeNull(); // a WAV is RIFF too
    expect(imageMediaType(bytes('GIF8'))).toBeNull();
    expect(imageMediaType(TINY_PNG.subarray(0, 7))).toBeNull();
    expect(imageMediaType(new Uint8Array(0))).toBeNull();
  });
});

describe('probeImage and readImage', () => {
  const dir = tempDir('prefdisco-image-file-');
  mkdirSync(join(dir, 'images'));
  writeFile(dir, 'images/a.png', Buffer.from(TINY_PNG));
  // A JPEG named .png: the bytes, not the name, say what it is.
  writeFile(dir, 'images/misnamed.png', Buffer.from(bytes(0xff, 0xd8, 0xff, 0xdb, 0, 0x43)));
  writeFile(dir, 'secret.png', Buffer.from(TINY_PNG));
  symlinkSync(join(dir, 'secret.png'), join(dir, 'images', 'link.png'));

  it('finds an image in the images folder and reads its exact bytes', async () => {
    const probe = await probeImage(dir, 'images/a.png');
    expect(probe).toEqual({ ok: true, file: { path: join(dir, 'images', 'a.png'), mediaType: 'image/png' } });
    if (!probe.ok) return;
    const image = await readImage(probe.file);
    expect(image.mediaType).toBe('image/png');
    expect(Buffer.from(image.data).equals(Buffer.from(TINY_PNG))).toBe(true);
  });

  it('names the media type from the bytes, not the extension', async () => {
    const probe = await probeImage(dir, 'images/misnamed.png');
    expect(probe.ok && probe.file.mediaType).toBe('image/jpeg');
  });

  it('refuses, with the reason, missing files and files outside the images folder', async () => {
    for (const path of ['images/missing.png', 'secret.png', 'images/../secret.png', 'images/link.png'])
      expect(await probeImage(dir, path)).toEqual({
        ok: false,
        reason: `image ${JSON.stringify(path)} not found in the images folder`,
      });
  });
});
