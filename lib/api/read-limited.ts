/**
 * Reads a request body as text, refusing more than `maxBytes` — counted while reading, so a
 * missing or lying Content-Length cannot get more through. Calls `tooLarge` to build the error.
 */
export async function readLimitedText(request: Request, maxBytes: number, tooLarge: () => Error): Promise<string> {
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
