// PLACEHOLDER
export function AssessmentPage() {
  return null;
}
