"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type UsageDay = { day: string; requests: number; failures: number };

const shortDay = (day: string) => day.slice(5);

/**
 * Requests and refused authentications per day (SPEC §11), drawn by recharts. The drawing is an
 * image named "Requests per day" for assistive technology; the same figures are in the table
 * below it, which screen readers read instead.
 */
export function UsageChart({ days }: { days: UsageDay[] }) {
  const total = days.reduce((sum, day) => sum + day.requests, 0);
  const failures = days.reduce((sum, day) => sum + day.failures, 0);
  return (
    <figure className="usage-chart">
      <div role="img" aria-label="Requests per day" className="usage-chart-drawing">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="day" tickFormatter={shortDay} interval={4} fontSize={12} />
            <YAxis allowDecimals={false} width={40} fontSize={12} />
            <Tooltip />
            <Legend />
            <Bar dataKey="requests" name="Requests" fill="#2f6fdd" isAnimationActive={false} />
            <Bar dataKey="failures" name="Failures" fill="#c2410c" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="muted small">
        {total} request{total === 1 ? "" : "s"} and {failures} refused authentication{failures === 1 ? "" : "s"} in the last {days.length}{" "}
        days (UTC).
      </figcaption>
      <details>
        <summary>Show as a table</summary>
        <table aria-label="Requests per day" className="table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Requests</th>
              <th scope="col">Failures</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={day.day}>
                <th scope="row">{day.day}</th>
                <td>{day.requests}</td>
                <td>{day.failures}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
