import { useQuery } from '@tanstack/react-query';
import { api, data, type Answer } from '../../../shared/api/client';
import { saveFile } from '../../../shared/save-file';

export type Attachment = Answer<'/api/v1/orders/{id}/attachments', 'get'>[number];

export function useAttachments(orderId: string) {
  return useQuery({
    queryKey: ['order', orderId, 'attachments'],
    queryFn: async () => data(await api.GET('/api/v1/orders/{id}/attachments', { params: { path: { id: orderId } } })),
  });
}

/** The file, fetched with the session (a plain link could not send it), then saved under its name. */
export async function download(orderId: string, attachment: Attachment): Promise<void> {
  const blob = data(await api.GET('/api/v1/orders/{id}/attachments/{attachmentId}',
    { params: { path: { id: orderId, attachmentId: attachment.id } }, parseAs: 'blob' })) as unknown as Blob;
  saveFile(blob, attachment.name);
}
