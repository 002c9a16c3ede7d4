export type NoticeMessage = { tone: "success" | "error"; text: string };

/** The outcome of the last change, announced politely; takes no space when empty. */
export function Notice({ notice }: { notice: NoticeMessage | null }) {
  return (
    <p role="status" aria-live="polite" className={notice ? `alert alert-${notice.tone} toolbar-notice` : "toolbar-notice"}>
      {notice?.text}
    </p>
  );
}
