export { equalityCandidates, parseSearchInput } from './lib/search-input';
export type { SearchInput } from './lib/search-input';
export { SESSION_ROW_CSV_HEADER, sessionRowCsvCells, toSessionRow } from './lib/session-row';
export type { SearchResult, SessionRow } from './lib/session-row';
export { ResultsTable } from './components/results-table';
