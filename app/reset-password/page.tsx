import type { Metadata } from "next";
import { ResetPasswordForm } from "@/components/reset-password-form";

export const metadata: Metadata = { title: "Set a new password" };

// GET /reset-password#<secret> — the link of a password-reset mail; the secret stays in the fragment.
export default function ResetPasswordPage() {
  return (
    <main className="login">
      <div className="card login-card">
        <h1>Set a new password</h1>
        <p className="muted">It replaces your password in every organization you belong to.</p>
        <ResetPasswordForm />
      </div>
    </main>
  );
}
