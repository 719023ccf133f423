import { Type } from 'typebox';
import { DateTime } from '../../http/schemas.js';

export const AttachmentOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  contentType: Type.String({ description: 'read from the bytes, not from the name' }),
  size: Type.Integer({ description: 'bytes' }),
  createdAt: DateTime(),
});
