// An API refusal in words (the server's message, in the user's language), never a blank screen.
import { Alert } from 'antd';

export function ErrorNotice({ error }: { error: unknown }) {
  return <Alert role="alert" type="error" showIcon title={(error as Error).message} style={{ marginBottom: 16 }} />;
}
