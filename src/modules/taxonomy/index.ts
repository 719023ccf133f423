// The taxonomy's public interface: the versioned category tree and the request types.
export type { Category, CategoryNode, TreeVersion, TreeEdit, RequestType } from './service.js';
export {
  REQUEST_TYPES, MAX_DEPTH, defaultTree, parseTreeCsv, treeToCsv, withLevels, saveTreeVersion, editTree,
  listVersions, getTree, getCategory, findCurrentCategory,
} from './service.js';
export { currentTree, currentCategory, categoryWithTree, categoriesById, categoryIdsUnder, categoryCodesSql, type TreeIndex } from './lookups.js';
