// Response schemas of the calendar endpoints: validation and OpenAPI from one source.
import { Type } from 'typebox';
import { DateTime } from '../../http/schemas.js';

const DayOut = Type.Object({ date: Type.String({ format: 'date' }), name: Type.String({ description: 'the holiday, e.g. 春节' }) });

const yearFields = {
  year: Type.Integer(),
  source: Type.String({ description: 'where it came from: the chinese-days package (chinese-days@1.5.7), or the notice an admin named' }),
  loadedAt: DateTime(),
  loadedBy: Type.String({ description: "who loaded it: a staff member's username, or system" }),
};

export const CalendarYearSummaryOut = Type.Object(yearFields);

export const CalendarYearOut = Type.Object({
  ...yearFields,
  holidays: Type.Array(DayOut, { description: 'public holidays (放假)' }),
  workdays: Type.Array(DayOut, { description: 'weekend days that are working days (调休上班)' }),
});

export const WorkingDaysOut = Type.Object({
  dueAt: DateTime('when the limit ends'),
  calendarComplete: Type.Boolean({ description: 'false: a year on the way has no calendar loaded and was counted Monday to Friday' }),
});
