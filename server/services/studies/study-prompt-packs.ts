import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/errors.ts';
import type { PromptPackInfo } from '../../../shared/schemas/api-prompt-packs.ts';
import { PromptPackFolderSchema } from '../../../shared/schemas/live-study.ts';
import type { PromptSet } from '../../engine/prompt-library.ts';
import { loadPromptPack, PromptPackError, readPromptPack } from '../../engine/prompt-pack.ts';

/**
 * The prompt packs a live study may use: the folders inside the server's prompts folder (PREFDISCO_PROMPTS_DIR). The
 * browser names a pack by its folder name only, never a path, so a researcher can use what the server's operator put
 * there and nothing else on the server's disk.
 */
export interface StudyPromptPacks {
  /** Every pack folder, usable or not (with its problems), by folder name. */
  list(): PromptPackInfo[];
  /**
   * Reads and checks one pack (the whole pack, as `run --prompts` does). Throws `invalid_payload` with one issue per
   * problem at `$.promptPack`, each naming the pack's file, when the name is not a folder of the prompts folder or
   * the pack cannot be used.
   */
  load(folder: string): PromptSet;
}

const PATH = '$.promptPack';

export function studyPromptPacks(dir: string): StudyPromptPacks {
  const root = resolve(dir);
  // Problems name files by absolute path (as the CLI prints them); the console shows them relative to the prompts
  // folder, so a researcher reads `my-pack/prompts.json: …` and the server's layout stays its own.
  const relative = (problem: string): string => problem.split(root + sep).join('');

  function packDir(folder: string): string {
    const parsed = PromptPackFolderSchema.safeParse(folder);
    if (!parsed.success || folder === '') {
      const message = parsed.success ? 'names no pack' : (parsed.error.issues[0]?.message ?? 'is not a folder name');
      throw new AppError('invalid_payload', `prompt pack "${folder}" ${message}`, {
        issues: [{ path: PATH, message }],
      });
    }
    const path = join(root, folder);
    if (!isFolder(path)) {
      const message = `"${folder}" is not a folder in the server's prompts folder (PREFDISCO_PROMPTS_DIR)`;
      throw new AppError('invalid_payload', `prompt pack ${message}`, { issues: [{ path: PATH, message }] });
    }
    return path;
  }

  function refused(folder: string, error: PromptPackError): AppError {
    return new AppError('invalid_payload', `prompt pack "${folder}" cannot be used`, {
      issues: error.problems.map((p) => ({ path: PATH, message: relative(p) })),
    });
  }

  return {
    list() {
      return folders(root).map((folder): PromptPackInfo => {
        try {
          const pack = readPromptPack(join(root, folder));
          return { folder, name: pack.name, sha256: pack.sha256, roles: [...pack.files.keys()].sort(), problems: [] };
        } catch (error) {
          if (!(error instanceof PromptPackError)) throw error;
          return { folder, name: null, sha256: null, roles: [], problems: error.problems.map(relative) };
        }
      });
    },
    load(folder) {
      const path = packDir(folder);
      try {
        return loadPromptPack(path);
      } catch (error) {
        if (error instanceof PromptPackError) throw refused(folder, error);
        throw error;
      }
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The folder names a study setting could name, sorted; none when the prompts folder does not exist. */
function folders(root: string): string[] {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  return names
    .filter((name) => name !== '' && PromptPackFolderSchema.safeParse(name).success && isFolder(join(root, name)))
    .sort();
}
