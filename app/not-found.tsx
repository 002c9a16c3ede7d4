import Link from "next/link";

export default function NotFound() {
  return (
    <main className="login">
      <div className="card login-card">
        <h1>Page not found</h1>
        <p className="muted">There is nothing here, or you do not have access to it.</p>
        <Link href="/" className="button">
          Go to your start page
        </Link>
      </div>
    </main>
  );
}
