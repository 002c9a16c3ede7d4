// Pure composition of every mail Tessera sends: subject and plain-text body. Never a token
// value — mails are not a safe channel, and the value is never stored anyway.

import { daysUntil } from "@/lib/shared/time";

export type MailToken = {
  id: string;
  description: string;
  accountSid: string;
  permissions: readonly string[];
  expiresAt: Date | null;
};
export type MailPerson = { displayName: string };
export type Message = { subject: string; body: string };

const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const when = (date: Date | null) => (date ? `${dateFormat.format(date)} UTC` : "never");

function tokenLines(token: MailToken): string[] {
  return [
    `  Description:  ${token.description}`,
    `  Account SID:  ${token.accountSid}`,
    `  Permissions:  ${token.permissions.join(", ") || "none"}`,
    `  Expires:      ${when(token.expiresAt)}`,
  ];
}

const signature = (organizationName: string) => ["", "—", `Tessera · ${organizationName}`];

/** "Copy as new" in the console, prefilled from the token: the owner's page, or the admin's. */
export function copyAsNewLink(consoleUrl: string, tokenId: string, audience: "owner" | "admin"): string {
  const page = audience === "owner" ? "/options" : "/admin/tokens";
  return `${consoleUrl}${page}?copy=${encodeURIComponent(tokenId)}`;
}

const inDays = (days: number) => `in ${days} day${days === 1 ? "" : "s"}`;

export function createdForYouMessage(input: {
  owner: MailPerson;
  admin: MailPerson;
  token: MailToken;
  organizationName: string;
  consoleUrl: string;
}): Message {
  return {
    subject: `A personal access token was created for you: “${input.token.description}”`,
    body: [
      `Hello ${input.owner.displayName},`,
      "",
      `${input.admin.displayName}, a system admin of ${input.organizationName}, created a personal access token that acts as you:`,
      "",
      ...tokenLines(input.token),
      "",
      "The token's value was shown once to the admin who created it; it is not in this mail.",
      `Your tokens: ${input.consoleUrl}/options`,
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

export function revokedByAdminMessage(input: {
  owner: MailPerson;
  admin: MailPerson;
  tokens: readonly MailToken[];
  change: { kind: "revoked"; reason: string | null } | { kind: "deactivated" };
  organizationName: string;
  consoleUrl: string;
}): Message {
  const { tokens, change } = input;
  const verb = change.kind === "revoked" ? "revoked" : "deactivated";
  const [only] = tokens;
  const subject =
    tokens.length === 1 && only ? `Your token “${only.description}” was ${verb}` : `${tokens.length} of your tokens were ${verb}`;
  const consequence =
    change.kind === "revoked"
      ? "Revocation is permanent: integrations using these tokens can no longer call the API."
      : "A deactivated token stops working until it is switched on again.";
  return {
    subject,
    body: [
      `Hello ${input.owner.displayName},`,
      "",
      `${input.admin.displayName}, a system admin of ${input.organizationName}, ${verb} ${tokens.length === 1 ? "your token" : "these tokens of yours"}:`,
      ...tokens.flatMap((token) => ["", ...tokenLines(token)]),
      ...(change.kind === "revoked" && change.reason ? ["", `Reason: ${change.reason}`] : []),
      "",
      consequence,
      `Your tokens: ${input.consoleUrl}/options`,
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

export function expiryMessage(input: {
  recipient: MailPerson;
  owner: MailPerson & { username: string };
  audience: "owner" | "admin";
  token: MailToken & { expiresAt: Date };
  now: Date;
  organizationName: string;
  consoleUrl: string;
}): Message {
  const { token, audience, owner } = input;
  const expired = token.expiresAt.getTime() <= input.now.getTime();
  const named = `${audience === "owner" ? "Your token" : `${owner.displayName}'s token`} “${token.description}”`;
  const subject = expired ? `${named} has expired` : `${named} expires ${inDays(Math.max(1, daysUntil(token.expiresAt, input.now)))}`;
  const whose = audience === "owner" ? "Your token" : `The token you created for ${owner.displayName} (${owner.username})`;
  const link = copyAsNewLink(input.consoleUrl, token.id, audience);
  return {
    subject,
    body: [
      `Hello ${input.recipient.displayName},`,
      "",
      expired
        ? `${whose} expired on ${when(token.expiresAt)}. Integrations using it can no longer call the API.`
        : `${whose} expires on ${when(token.expiresAt)}. After that, integrations using it can no longer call the API.`,
      "",
      ...tokenLines(token),
      "",
      `To keep an integration working, create a replacement with the same settings ("Copy as new"):`,
      link,
      "",
      "Then give the integration the new value.",
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

const roleName = (role: "admin" | "rep") => (role === "admin" ? "a system admin" : "a service rep");

/**
 * membership.added (the outbox's kind for invitations) — an admin invited a person who already has
 * a Tessera account to their organization (SPEC §14). No link that acts: the person accepts on
 * their account page, signed in, so the mail carries no secret.
 */
export function invitationMessage(input: {
  invitee: MailPerson & { username: string; role: "admin" | "rep" };
  admin: MailPerson;
  organizationName: string;
  expiresAt: Date;
  accountUrl: string;
}): Message {
  const organization = mailText(input.organizationName);
  const admin = mailText(input.admin.displayName);
  return {
    subject: `${admin} invited you to join ${organization} on Tessera`,
    body: [
      `Hello ${mailText(input.invitee.displayName)},`,
      "",
      `${admin}, a system admin of ${organization}, invited you to join ${organization} as ${roleName(input.invitee.role)} (username ${input.invitee.username}).`,
      "",
      "Nothing changes until you accept. Sign in with your usual e-mail address and password, then accept or decline under “Invitations” on your account page:",
      `  ${input.accountUrl}`,
      "",
      `The invitation expires on ${when(input.expiresAt)}. If you did not expect it, decline it or ignore this mail.`,
      ...signature(organization),
    ].join("\n"),
  };
}

/**
 * Stands in the stored body of a password-reset mail for its link, which is made only when the
 * mail is sent (lib/notifications/delivery.ts): the outbox, which admins read, never holds one.
 */
export const RESET_LINK_PLACEHOLDER = "[a one-time link, made when this mail is sent]";
/** The reset mail's link line, exactly: delivery replaces this whole line and nothing else. */
export const RESET_LINK_LINE = `  ${RESET_LINK_PLACEHOLDER}`;

/** Text an admin typed (a display name), on one line and without control characters, so it cannot pose as a line of the mail. */
export function mailText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
}

/** person.password_reset — an admin asked for a reset of a person who belongs to other organizations too. */
export function passwordResetMessage(input: { member: MailPerson; admin: MailPerson; organizationName: string }): Message {
  return {
    subject: "Set a new Tessera password",
    body: [
      `Hello ${mailText(input.member.displayName)},`,
      "",
      `${mailText(input.admin.displayName)}, a system admin of ${mailText(input.organizationName)}, asked for your Tessera password to be reset. Your password is yours alone, so choose the new one yourself with this link. It works once, for one hour:`,
      "",
      RESET_LINK_LINE,
      "",
      "Until you use it, your current password keeps working. If you did not expect this, you can ignore this mail.",
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

/** person.password_reset — the person asked, on /account, for a password of their own. */
export function ownPasswordMessage(input: { member: MailPerson; organizationName: string }): Message {
  return {
    subject: "Choose your own Tessera password",
    body: [
      `Hello ${mailText(input.member.displayName)},`,
      "",
      `You asked for a password of your own. The one you use now was set by an administrator of ${mailText(input.organizationName)}, so it opens only that organization. Choose yours with this link; it then opens every organization you work in. It works once, for one hour:`,
      "",
      RESET_LINK_LINE,
      "",
      "Until you use it, your current password keeps working. If you did not ask for this, you can ignore this mail.",
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

/** token.reused — a rotated-out value was used after its grace period (SPEC §11). */
export function tokenReusedMessage(input: {
  recipient: MailPerson;
  token: MailToken;
  usedAt: Date;
  address: string | null;
  successorDeactivated: boolean;
  organizationName: string;
  tokenUrl: string;
}): Message {
  return {
    subject: `A replaced value of “${input.token.description}” was used`,
    body: [
      `Hello ${mailText(input.recipient.displayName)},`,
      "",
      `An old value of this token was used on ${when(input.usedAt)} from ${input.address ?? "an unknown address"}, after it had been replaced and its grace period had ended. Tessera refused it.`,
      "",
      ...tokenLines(input.token),
      "",
      "Whoever still holds the old value is either an integration that was not updated, or someone it leaked to.",
      input.successorDeactivated
        ? "Your organization's policy deactivated the current value too: check who holds it, then regenerate or reactivate it."
        : "If you do not know who that is, regenerate the token and review where its value is kept.",
      `The token: ${input.tokenUrl}`,
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

/** token.idle — an unused token will be revoked under the organization's policy (SPEC §11). */
export function idleNoticeMessage(input: {
  owner: MailPerson;
  token: MailToken & { lastUsedAt: Date | null };
  days: number;
  revokeOn: Date;
  organizationName: string;
  tokenUrl: string;
}): Message {
  return {
    subject: `Your unused token “${input.token.description}” will be revoked`,
    body: [
      `Hello ${mailText(input.owner.displayName)},`,
      "",
      `${input.organizationName} revokes tokens unused for ${input.days} days. This one was last used ${input.token.lastUsedAt ? `on ${when(input.token.lastUsedAt)}` : "never"}:`,
      "",
      ...tokenLines(input.token),
      "",
      `It will be revoked on or after ${when(input.revokeOn)} unless it is used before then. If it is still needed, use it once; if not, nothing needs doing.`,
      `The token: ${input.tokenUrl}`,
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

/** token.leaked — someone reported token values as leaked, and Tessera revoked them (SPEC §12). */
export function tokenLeakedMessage(input: {
  recipient: MailPerson;
  tokens: readonly MailToken[];
  organizationName: string;
  consoleUrl: string;
}): Message {
  const one = input.tokens.length === 1;
  return {
    subject: one
      ? `Token “${input.tokens[0]?.description ?? ""}” was reported leaked and revoked`
      : `${input.tokens.length} tokens were reported leaked and revoked`,
    body: [
      `Hello ${mailText(input.recipient.displayName)},`,
      "",
      `Someone reported ${one ? "the value of this token" : "the values of these tokens"} as publicly exposed, so Tessera revoked ${one ? "it" : "them"}:`,
      "",
      ...input.tokens.flatMap((token, index) => [
        ...(index > 0 ? [""] : []),
        ...tokenLines(token),
        `  Page:         ${input.consoleUrl}/tokens/${token.id}`,
      ]),
      "",
      "Create a new token for every integration that used them (Copy as new keeps the settings), and find out where the value was exposed.",
      ...signature(input.organizationName),
    ].join("\n"),
  };
}

/** token.exposed — GitHub's secret scanning found token values in public, and Tessera deactivated them (SPEC §12). */
export function tokenExposedMessage(input: {
  recipient: MailPerson;
  tokens: readonly (MailToken & { hint: string; foundAt: string })[];
  organizationName: string;
  consoleUrl: string;
}): Message {
  const [only] = input.tokens;
  const one = input.tokens.length === 1;
  return {
    subject:
      one && only
        ? `Token “${mailText(only.description)}” was found on GitHub and deactivated`
        : `${input.tokens.length} tokens were found on GitHub and deactivated`,
    body: [
      `Hello ${mailText(input.recipient.displayName)},`,
      "",
      `GitHub's secret scanning found ${one ? "the value of this token" : "the values of these tokens"} in public, so Tessera deactivated ${one ? "it" : "them"}:`,
      "",
      ...input.tokens.flatMap((token, index) => [
        ...(index > 0 ? [""] : []),
        ...tokenLines(token),
        `  Value:        ${token.hint}`,
        `  Found at:     ${mailText(token.foundAt) || "a place GitHub did not name"}`,
        `  Page:         ${input.consoleUrl}/tokens/${token.id}`,
      ]),
      "",
      "Treat the value as known to anyone: remove it from where it was found, and regenerate the token (or create a new one with Copy as new) for every integration that used it.",
      "If it was a false positive (say, a value that was already replaced), an admin can switch the token on again after rotating it; deactivation is reversible, revocation is not.",
      ...signature(input.organizationName),
    ].join("\n"),
  };
}
