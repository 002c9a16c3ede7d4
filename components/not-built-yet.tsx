/** An honest placeholder for a page a later issue builds: no fake data. */
export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <p className="notice">Not built yet. {what}</p>
    </section>
  );
}
