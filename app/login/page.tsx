import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { getCurrentPerson } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getCurrentPerson()) redirect("/");
  return (
    <main className="login">
      <div className="card login-card">
        <h1>Sign in to Tessera</h1>
        <p className="muted">Personal access tokens for your organization.</p>
        <LoginForm />
      </div>
    </main>
  );
}
