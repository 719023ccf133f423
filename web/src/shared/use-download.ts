// A workbook's download from a button: the button spins meanwhile, and a line says the file saved
// (`savedKey`, with {{file}}) or why it failed.
import { App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export function useDownload(savedKey: string): { downloading: boolean; download: (save: () => Promise<string>) => void } {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [downloading, setDownloading] = useState(false);
  const download = (save: () => Promise<string>) => {
    setDownloading(true);
    save().then((file) => { message.success(t(savedKey, { file })); }, (error: unknown) => { message.error((error as Error).message); })
      .finally(() => setDownloading(false));
  };
  return { downloading, download };
}
