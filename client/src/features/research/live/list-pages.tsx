import TablePagination from '@mui/material/TablePagination';
import { useState } from 'react';

/**
 * The page shown of a polled list that a `key` (a filter) selects: another key starts on the first page. Call
 * `keepWithin` with the list's length as read: when rows have left it (running episodes end) and the page is past its
 * end, the last page is shown instead (a state update during render, which React redoes at once).
 */
export function useListPage<K>(key: K, pageSize: number) {
  const [page, setPage] = useState({ key, offset: 0 });
  const offset = page.key === key ? page.offset : 0;
  return {
    offset,
    setOffset: (next: number) => setPage({ key, offset: next }),
    keepWithin(total: number | undefined) {
      if (total !== undefined && offset > 0 && offset >= total)
        setPage({ key, offset: Math.max(0, Math.ceil(total / pageSize) - 1) * pageSize });
    },
  };
}

/** The page controls under a list, shown only when it is longer than one page. */
export function ListPages(props: { total: number; offset: number; pageSize: number; onOffset(offset: number): void }) {
  const { total, offset, pageSize, onOffset } = props;
  if (total <= pageSize) return null;
  return (
    <TablePagination
      component="div"
      count={total}
      page={Math.floor(offset / pageSize)}
      rowsPerPage={pageSize}
      rowsPerPageOptions={[pageSize]}
      onPageChange={(_e, p) => onOffset(p * pageSize)}
    />
  );
}
