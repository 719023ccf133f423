// The directory's public interface: areas, handling units, staff.
export type { UnitSuggestion, Area, AreaLevel, Unit, UnitLevel, Staff, UnitInput, UnitPatch, StaffInput, StaffPatch, UnitQuery } from './service.js';
export {
  UNIT_LEVELS, areaPrefix, importAreas, listAreas, searchAreas, placeNames, getArea, createUnit, updateUnit, getUnit, listUnits, findResponsibleUnits, routeUnits,
  createStaff, updateStaff, getStaff, findStaffByUsername, staffDisplayNames, staffDisplayNamesByUsername, listStaff, staffOfUnits, staffWithRoles, activeStaffSelectedBy,
} from './service.js';
export { unitIndex, areaIndex, type UnitIndex, type AreaIndex } from './lookups.js';
