// Names the server gives in both languages ({ zh, en }: a request type, a channel, a signal), read
// in the interface's language.

/** The interface's language as the server's texts are keyed. */
export const languageOf = (language: string): 'zh' | 'en' => (language === 'en' ? 'en' : 'zh');

/** A name given in both languages, in the interface's. */
export const nameIn = (language: string, name: { zh: string; en: string }): string => name[languageOf(language)];
