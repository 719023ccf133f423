// Unit assessment: the public interface.
export { RATES, SCORE_FORMULA, rates, score, type Rates, type RateName } from './figures.js';
export { FIGURES, FIGURE_NAMES, type FigureName, type Figures } from '../sla/index.js';
export { periodOf, assessUnits, figureOrders, type Period, type Assessment, type UnitAssessment, type FigureOrder } from './service.js';
export { assessmentWorkbook } from './export.js';
export { AssessmentOut } from './api-schemas.js';
