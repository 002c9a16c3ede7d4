import nodemailer from "nodemailer";

export type OutgoingMail = { to: string; subject: string; text: string };
/** Sends one mail or throws; the delivery worker records the error and retries later. */
export type MailSender = (mail: OutgoingMail) => Promise<void>;
export type MailTransport = { send: MailSender; close: () => void };

/** A nodemailer SMTP transport for `smtp://user:password@host:port` (or smtps://). */
export function smtpTransport(url: string, from: string): MailTransport {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      // nodemailer resolves even when the server refused some recipients; that is a failure too.
      if (info.rejected.length > 0) throw new Error(`The SMTP server refused ${info.rejected.length} recipient(s).`);
    },
    close: () => transport.close(),
  };
}
