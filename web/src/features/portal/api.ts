// The portal's calls: no session, the public routes only.
import { api, data } from '../../shared/api/client';
import type { paths } from '../../shared/api/schema';

export type Submission = paths['/api/v1/public/portal/requests']['post']['requestBody']['content']['application/json'];
export type Receipt = NonNullable<Awaited<ReturnType<typeof submitRequest>>>;
export type TrackedRequest = Awaited<ReturnType<typeof trackRequest>>;
export type Rating = Omit<paths['/api/v1/public/portal/rating']['post']['requestBody']['content']['application/json'], 'trackingNo' | 'code'>;

export const fetchChallenge = async () => data(await api.GET('/api/v1/public/portal/challenge')).challenge;

export const submitRequest = async (body: Submission) => data(await api.POST('/api/v1/public/portal/requests', { body }));

export const trackRequest = async (trackingNo: string, code: string) =>
  data(await api.POST('/api/v1/public/portal/track', { body: { trackingNo, code } }));

export const rateRequest = async (trackingNo: string, code: string, rating: Rating) =>
  data(await api.POST('/api/v1/public/portal/rating', { body: { trackingNo, code, ...rating } }));

/** A file for the submission `clientRef`, before it is submitted; its id goes in the submission's attachmentIds. */
export async function uploadAttachment(clientRef: string, file: File) {
  const form = new FormData();
  form.append('file', file);
  return data(await api.POST('/api/v1/public/portal/attachments', { params: { query: { clientRef } },
    body: form as never, bodySerializer: (body: unknown) => body as FormData }));
}

/** The public FAQ: the published public articles still valid, found as the agents find them. */
export const searchFaq = async (q: string, signal?: AbortSignal) =>
  data(await api.GET('/api/v1/public/faq', { params: { query: { q: q || undefined, limit: 20 } }, signal }));

/** A survey by the personal link of its invitation, and whether it was answered. */
export const surveyByLink = async (token: string) => data(await api.GET('/api/v1/public/surveys/link/{token}', { params: { path: { token } } }));

export const answerByLink = async (token: string, answers: Record<string, string | string[] | number>) => {
  await api.POST('/api/v1/public/surveys/link/{token}', { params: { path: { token } }, body: { answers } });
};

/** The surveys open on the portal today. */
export const openSurveys = async () => data(await api.GET('/api/v1/public/surveys'));

export const answerOnPortal = async (id: string, given: { phone: string; areaCode?: string; code?: string }, answers: Record<string, string | string[] | number>) => {
  await api.POST('/api/v1/public/surveys/{id}/answers', { params: { path: { id } }, body: { ...given, answers } });
};

/** Sends the one-time code to the number by SMS (the app's sign-in code): when to ask again. */
export const sendPhoneCode = async (phone: string) => data(await api.POST('/api/v1/app/sign-in/code', { body: { phone } }));
