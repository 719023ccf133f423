// The directory's public interface: areas, handling units, staff.
export type { Area, AreaLevel, Unit, UnitLevel, Staff, UnitInput, UnitPatch, StaffInput, StaffPatch, UnitQuery } from './service.js';
export {
  UNIT_LEVELS, areaPrefix, importAreas, listAreas, getArea, createUnit, updateUnit, getUnit, listUnits, findResponsibleUnits,
  createStaff, updateStaff, getStaff, findStaffByUsername, listStaff,
} from './service.js';
