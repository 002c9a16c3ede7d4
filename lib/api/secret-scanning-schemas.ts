import { z } from "zod";
import type { SecretScanningLabel } from "@/lib/tokens/exposed";
import { MAX_REPORTED_VALUES } from "@/lib/tokens/reported";

// The wire format of GitHub's secret-scanning partner program (POST /api/v1/secret-scanning/github).

/** GitHub signs the body; anything larger is refused before its signature is checked. */
export const MAX_SECRET_SCANNING_BODY_BYTES = 1024 * 1024;

export const githubFindingsBody = z
  .array(
    z
      .object({
        token: z.string().max(1000).meta({ description: "The value that matched Tessera's pattern. Never stored or logged." }),
        type: z.string().max(200).meta({ description: "The pattern's name, e.g. tessera_personal_access_token." }),
        url: z.string().max(4000).default("").meta({ description: "Where GitHub found it (may be empty)." }),
        source: z.string().max(200).optional().meta({ description: "What GitHub found it in: content, commit, issue_comment, npm, …" }),
      })
      .meta({ id: "GithubSecretScanningFinding" }),
  )
  .max(MAX_REPORTED_VALUES)
  .meta({
    id: "GithubSecretScanningReport",
    description: "GitHub's report, signed: headers Github-Public-Key-Identifier and Github-Public-Key-Signature.",
  });

export const githubLabelsOutput = z
  .array(
    z
      .object({
        token_hash: z.string().meta({ description: "SHA-256 (hex) of the reported value: the answer never repeats a value." }),
        token_type: z.string(),
        label: z.enum(["true_positive", "false_positive"]).meta({
          description: "true_positive: the value of a token that was not revoked or expired; it is now deactivated.",
        }),
      })
      .meta({ id: "GithubSecretScanningLabel" }),
  )
  .meta({ id: "GithubSecretScanningFeedback", description: "GitHub's false-positive feedback format, one entry per finding, in order." });

export function toGithubLabels(labels: readonly SecretScanningLabel[]): z.infer<typeof githubLabelsOutput> {
  return labels.map((label) => ({ token_hash: label.tokenHash, token_type: label.tokenType, label: label.label }));
}
