// Unit assessment: the public interface.
export { FIGURES, FIGURE_NAMES, RATES, SCORE_FORMULA, rates, score, type FigureName, type Figures, type Rates, type RateName } from './figures.js';
export { periodOf, assessUnits, figureOrders, type Period, type Assessment, type UnitAssessment, type FigureOrder } from './service.js';
export { assessmentWorkbook } from './export.js';
