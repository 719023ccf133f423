// Quality review (质检): scoring sheets, samples of each agent's orders and calls, their scores.
export { qualityWorkConsumer } from './work.js';
export { listSheets, getSheet, createSheet, retireSheet, scoreOn, type Sheet, type SheetItem, type SheetInput } from './sheets.js';
export { drawSamples, monthSpan, SAMPLE_REASONS, type SampleReason, type DrawRequest, type Drawn } from './samples.js';
export { qualityWorkbook } from './export.js';
export { listReviews, getReview, scoreReview, myReviews, agentScores, monthReviews, REVIEW_READERS, REVIEWERS, type Review, type AgentScore } from './reviews.js';
