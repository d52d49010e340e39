import { useMutation, useQueryClient } from '@tanstack/react-query';
import { importBenchmark } from '../../../http/study-admin-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

/**
 * Uploads a benchmark file into a new or existing study. A file with errors resolves (with its issues by line); only
 * failures that are not about the file's content reject.
 */
export function useImportBenchmark() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, studyName, skipImages }: { file: File; studyName: string; skipImages: boolean }) =>
      importBenchmark(file, studyName, skipImages),
    onSuccess: async (result) => {
      if (result.kind !== 'imported') return;
      // The new or grown study shows in the list at once, and a grown study's pages show its new records.
      await queryClient.invalidateQueries({ queryKey: queryKeys.studies() });
      await queryClient.invalidateQueries({ queryKey: queryKeys.study(result.outcome.studyId) });
    },
  });
}
