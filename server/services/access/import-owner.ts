import { AppError } from '../../../shared/errors.ts';
import type { Storage } from '../../storage/storage.ts';

/**
 * Who owns a study the command line imports (`prefdisco import`): the account named by `--owner`; without it the
 * install's only account; with no account yet, nobody until the first account is made (it then owns every study
 * nobody has a role in); with several accounts the importer must say which (`usage`). Null: the study waits.
 */
export type ImportOwnerChoice =
  { kind: 'owner'; researcherId: string } | { kind: 'waits' } | { kind: 'usage'; message: string };

export async function chooseImportOwner(
  storage: Pick<Storage, 'access' | 'people'>,
  ownerUsername: string | undefined,
): Promise<ImportOwnerChoice> {
  if (ownerUsername !== undefined) {
    const researcher = await storage.people.findResearcherByUsername(ownerUsername.trim());
    if (!researcher) throw new AppError('not_found', `no researcher account is named "${ownerUsername}"`);
    return { kind: 'owner', researcherId: researcher.id };
  }
  const some = await storage.access.someResearchers(2);
  if (some.length === 0) return { kind: 'waits' };
  if (some.length === 1 && some[0]) return { kind: 'owner', researcherId: some[0].id };
  return {
    kind: 'usage',
    message: 'import needs --owner USERNAME: several researcher accounts exist; name the one who owns the new study',
  };
}
