// One table for the dashboard's lists. Below the `sm` breakpoint (640 px) each row stacks into a block of
// "label: value" lines, so a phone sees every field and every action without scrolling sideways; from `sm`
// up it is an ordinary table, inside its own horizontal scroll box so that a column that cannot shrink
// scrolls within the card and never widens the page. Either way it stays a real <table> with a caption and
// th scope="col", so screen readers and getByRole("row") see the same structure at every width.
import type { ReactNode } from "react";

export type Column<Row> = {
  /** The column heading, also the label of the value when rows stack on small screens. */
  header: string;
  /** Keep the heading for screen readers only (an actions column). Stacked cells then show no label. */
  srOnlyHeader?: boolean;
  cell: (row: Row) => ReactNode;
  /** Extra classes for the cell, e.g. text colour. */
  className?: string;
  /** In the table layout, hide the column below this breakpoint; stacked rows still show it. */
  hideBelow?: "md" | "lg";
  /** Right-align the column in the table layout (actions). */
  align?: "right";
  /** User-given text (names, e-mails): lets one long unbroken word wrap instead of widening the table. */
  wrap?: boolean;
};

const HIDE_BELOW = { md: "sm:max-md:hidden", lg: "sm:max-lg:hidden" } as const;

// The stacked label is generated content read from data-label; its alternative text ("/ ''") is empty,
// because screen readers already announce the column heading of each cell.
const STACKED_LABEL =
  "max-sm:before:w-24 max-sm:before:shrink-0 max-sm:before:pt-0.5 max-sm:before:text-xs max-sm:before:font-medium max-sm:before:tracking-wide max-sm:before:text-slate-500 max-sm:before:uppercase max-sm:before:content-[attr(data-label)_/_'']";

function cellClass<Row>(column: Column<Row>): string {
  return [
    "py-3 pr-3 align-top last:pr-0 max-sm:flex max-sm:gap-3 max-sm:py-1 max-sm:pr-0",
    column.srOnlyHeader ? "" : STACKED_LABEL,
    column.hideBelow ? HIDE_BELOW[column.hideBelow] : "",
    column.align === "right" ? "sm:text-right" : "",
    column.className ?? "",
  ].join(" ");
}

export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
}: {
  /** Names the table for assistive technology (a visually hidden caption). */
  caption: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs tracking-wide text-slate-500 uppercase max-sm:sr-only">
          <tr>
            {columns.map((column) => (
              <th
                key={column.header}
                scope="col"
                className={`py-2 pr-3 font-medium last:pr-0 ${column.hideBelow ? HIDE_BELOW[column.hideBelow] : ""} ${column.align === "right" ? "text-right" : ""}`}
              >
                {column.srOnlyHeader ? <span className="sr-only">{column.header}</span> : column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={rowKey(row)} className="max-sm:block max-sm:py-2">
              {columns.map((column) => (
                <td
                  key={column.header}
                  data-label={column.srOnlyHeader ? undefined : column.header}
                  className={cellClass(column)}
                >
                  <div className={`min-w-0 max-sm:flex-1 ${column.wrap ? "[overflow-wrap:anywhere]" : ""}`}>
                    {column.cell(row)}
                  </div>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
