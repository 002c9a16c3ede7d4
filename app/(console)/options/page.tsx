import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/not-built-yet";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "Options" };

export default async function OptionsPage() {
  await requireUser();
  return <NotBuiltYet title="Options" what="Your personal access tokens will be listed here." />;
}
