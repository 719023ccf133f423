// The SMS provider seen from the outbox: one message to one mobile number, from a template the
// provider has approved (Chinese SMS providers send templates, not free text), and what became of it.

/** The messages the hotline sends citizens, each one approved template at the provider. */
export const SMS_KINDS = ['intake', 'reply', 'survey'] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

export interface SmsMessage {
  /** the mainland mobile number, 11 digits */
  phone: string;
  kind: SmsKind;
  /** the template's variables (trackingNo, lookupCode …) */
  params: Record<string, string>;
  /** our id of the message, handed to the provider (its reports name it) */
  outId: string;
}

export type SendOutcome =
  /** the provider took it; its id of the message */
  | { status: 'sent'; providerRef: string | null }
  /** the provider refused it or could not be reached, so it was not sent: `retry` says whether a later try may succeed */
  | { status: 'refused'; retry: boolean; code: string; message: string }
  /** no answer came (a timeout, a broken connection after the request went out): it may have been sent */
  | { status: 'unknown'; code: string; message: string };

export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SendOutcome>;
}

/** A mainland China mobile number: what an SMS can reach. */
export const isMobile = (phone: string | null | undefined): phone is string => !!phone && /^1[3-9]\d{9}$/.test(phone);
