// Opinion surveys (民意调查): questions with skip logic, respondents from the hotline's callers or a
// list, answers once per respondent by an SMS link, on the portal or on an agent's call; results.
export { QUESTION_KINDS, checkQuestions, checkAnswers, isShown, type Question, type Answers } from './questions.js';
export {
  SURVEY_MANAGERS, SURVEY_READERS, SURVEY_CHANNELS, listSurveys, portalSurveys, getSurvey, createSurvey, updateSurvey, moveSurvey, addRespondents, phoneKey,
  type Survey, type SurveyInput, type SurveyChannel, type RespondentSource,
} from './surveys.js';
export { surveyByToken, answerByToken, answerOnPortal, respondentsToCall, answerOutbound, type ToCall } from './answers.js';
export { inviteRespondents, sendDueInvitations, startInvitationSender } from './invitations.js';
export { surveyResults, resultsWorkbook, tally, type Results, type QuestionResult } from './results.js';
