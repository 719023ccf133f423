// China's official working-day calendar: the public interface.
export type { CalendarDay, CalendarYear, CalendarYearInput } from './service.js';
export {
  PACKAGE_SOURCE, packageYears, loadPackageCalendar, saveCalendarYear, listCalendarYears, getCalendarYear, currentCalendar,
} from './service.js';
export type { Limit, Span, DayKind } from './working-time.js';
export { WorkCalendar, dueAfter, warnBefore, remaining, extendBy } from './working-time.js';
